package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.codec.SnapshotCodec;
import io.accord.core.txn.Applied;
import io.accord.core.txn.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Requirement 11 and DESIGN.md: replicas fed one log end equal, restored or not, tracked or not.
 *
 * <p>By default the random logs are a few thousand entries and a few seeds, so this class takes about a second
 * in CI. Three system properties make a long run:
 * <ul>
 *   <li>{@code accord.determinism.scale} (default 1): multiplies the length of every random log;</li>
 *   <li>{@code accord.determinism.seeds} (default 3): how many seeds the multi-seed tests try;</li>
 *   <li>{@code accord.determinism.firstSeed} (default 1): the first of those seeds, to explore new ones.</li>
 * </ul>
 * For example, about 600,000 entries per log over 20 seeds (a few minutes on one core):
 * <pre>
 * mvn -o -pl accord-core test -Dtest=DeterminismTest -Daccord.determinism.scale=100 -Daccord.determinism.seeds=20
 * </pre>
 * Failure messages name the seed (and the snapshot cut), so a failing long run can be repeated exactly.
 */
class DeterminismTest {
    private static final CoreConfig CONFIG = CoreConfig.defaults().withContainerCheckIntervalMs(2000);
    private static final int SCALE = positive("accord.determinism.scale", 1);
    private static final int SEEDS = positive("accord.determinism.seeds", 3);
    private static final long FIRST_SEED = Long.getLong("accord.determinism.firstSeed", 1);

    private static int positive(String property, int defaultValue) {
        int v = Integer.getInteger(property, defaultValue);
        if (v < 1) {
            throw new IllegalArgumentException(property + ": " + v + " (expected: >= 1)");
        }
        return v;
    }

    /** Both lists hold the same zxids, result codes and change events, in the same order. */
    private static void assertSameApplied(List<Applied> expected, List<Applied> actual, String context) {
        assertEquals(expected.size(), actual.size(), context);
        for (int i = 0; i < expected.size(); i++) {
            Applied e = expected.get(i);
            Applied a = actual.get(i);
            String where = context + ", request " + i;
            assertEquals(e.zxid(), a.zxid(), where);
            assertEquals(e.result().code(), a.result().code(), where);
            assertEquals(e.result().getClass(), a.result().getClass(), where);
            assertEquals(e.events(), a.events(), where);
        }
    }

    private static void feed(StateMachine sm, List<RandomLog.Step> steps, List<Applied> out) {
        for (RandomLog.Step s : steps) {
            sm.apply(s.position(), s.time(), s.entry(), out == null ? null : out::add);
        }
    }

    @Test
    void twoReplicasFedTheSameLogEndWithEqualDigestsAndResults() {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            RandomLog gen = new RandomLog(seed, CONFIG);
            List<RandomLog.Step> log = gen.generate(6000 * SCALE);
            StateMachine a = new StateMachine(CONFIG);
            StateMachine b = new StateMachine(CONFIG);
            List<Applied> outA = new ArrayList<>();
            List<Applied> outB = new ArrayList<>();
            feed(a, log, outA);
            feed(b, log, outB);
            assertEquals(a.digest(), b.digest(), "seed " + seed);
            assertEquals(gen.driver().digest(), a.digest(), "seed " + seed);
            assertEquals(ImageModel.of(a).render(), ImageModel.of(b).render(), "seed " + seed);
            assertSameApplied(outA, outB, "seed " + seed);
            // the log exercises what it should
            long ok = outA.stream().filter(x -> x.result().code() == 0 && !(x.result() instanceof Result.Done)).count();
            long failedMultis = outA.stream().filter(x -> x.result() instanceof Result.Multi m && m.failed()).count();
            long goodMultis = outA.stream().filter(x -> x.result() instanceof Result.Multi m && !m.failed()).count();
            long errors = outA.stream().filter(x -> x.result().code() != 0).count();
            assertTrue(ok > 1000 && failedMultis > 50 && goodMultis > 50 && errors > 1000,
                    ok + " " + failedMultis + " " + goodMultis + " " + errors);
            assertTrue(gen.maxNodes() > 30, "nodes: " + gen.maxNodes());
        }
    }

    @Test
    void aReplicaRestoredMidwayEndsEqualToOneThatAppliedEverything() {
        RandomLog gen = new RandomLog(42, CONFIG);
        List<RandomLog.Step> log = gen.generate(8000 * SCALE);
        StateMachine full = new StateMachine(CONFIG);
        feed(full, log, null);
        StateMachine half = new StateMachine(CONFIG);
        feed(half, log.subList(0, 4000 * SCALE), null);
        StateMachine.Loader loader = StateMachine.loader(CONFIG);
        half.writeImage(loader);
        StateMachine restored = loader.finish();
        assertEquals(half.digest(), restored.digest());
        assertEquals(ImageModel.of(half).render(), ImageModel.of(restored).render());
        assertEquals(0, ImageModel.of(half).nodeOrderViolations);
        // replaying already-applied entries is a no-op (position skip), then the rest
        feed(restored, log, null);
        assertEquals(full.digest(), restored.digest());
        assertEquals(ImageModel.of(full).render(), ImageModel.of(restored).render());
        assertEquals(full.nodeCount(), restored.nodeCount());
        assertEquals(full.approximateDataSize(), restored.approximateDataSize());
        assertEquals(full.ephemeralCount(), restored.ephemeralCount());
        assertEquals(full.sessionCount(), restored.sessionCount());
    }

    @Test
    void aReplicaLoadedFromASnapshotAndFedTheRestOfTheLogEndsEqualToOneThatAppliedEverything() throws IOException {
        // Requirement 11: snapshot at a random cut through the real codec, load a new replica from the bytes,
        // apply only the entries after the cut; it ends like the replica that applied everything, and answers
        // every request after the cut exactly as that one did.
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS + 1; seed++) {
            RandomLog gen = new RandomLog(seed, CONFIG);
            List<RandomLog.Step> log = gen.generate(4000 * SCALE);
            int cut = 1 + new Random(seed).nextInt(log.size() - 1);
            String context = "seed " + seed + ", snapshot after entry " + cut + " of " + log.size();
            StateMachine full = new StateMachine(CONFIG);
            List<Applied> fullOut = new ArrayList<>();
            feed(full, log.subList(0, cut), fullOut);
            int appliedAtCut = fullOut.size();
            long digestAtCut = full.digest();
            ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
            SnapshotCodec.Writer writer = SnapshotCodec.writer(snapshot);
            full.writeImage(writer);
            SnapshotCodec.Summary written = writer.finish();
            feed(full, log.subList(cut, log.size()), fullOut);

            StateMachine.Loader loader = StateMachine.loader(CONFIG);
            SnapshotCodec.Summary read = SnapshotCodec.read(new ByteArrayInputStream(snapshot.toByteArray()), loader);
            StateMachine restored = loader.finish();
            assertEquals(written, read, context);
            assertEquals(log.get(cut - 1).position(), read.meta().appliedPosition(), context);
            assertEquals(digestAtCut, restored.digest(), context);
            List<Applied> restOut = new ArrayList<>();
            feed(restored, log.subList(cut, log.size()), restOut);

            assertEquals(full.digest(), restored.digest(), context);
            assertEquals(gen.driver().digest(), restored.digest(), context);
            assertEquals(ImageModel.of(full).render(), ImageModel.of(restored).render(), context);
            assertEquals(full.appliedPosition(), restored.appliedPosition(), context);
            assertEquals(full.lastZxid(), restored.lastZxid(), context);
            assertSameApplied(fullOut.subList(appliedAtCut, fullOut.size()), restOut, context);
        }
    }

    @Test
    void drainedChangesRebuildExactlyTheFullImage() {
        // Requirement 10: coalesced changes applied to a store model equal a full image at every drain.
        RandomLog gen = new RandomLog(7, CONFIG);
        List<RandomLog.Step> log = gen.generate(6000 * SCALE);
        StateMachine sm = new StateMachine(CONFIG);
        ImageModel store = ImageModel.of(sm);
        sm.trackChanges();
        for (int i = 0; i < log.size(); i += 500) {
            feed(sm, log.subList(i, Math.min(log.size(), i + 500)), null);
            sm.drainChanges(store);
            assertEquals(ImageModel.of(sm).render(), store.render(), "after entry " + (i + 500));
        }
        ImageModel empty = new ImageModel();
        sm.drainChanges(empty);
        assertEquals(0, empty.nodes.size() + empty.acls.size() + empty.sessions.size());
        assertTrue(empty.meta != null, "meta always comes last");
    }
}
