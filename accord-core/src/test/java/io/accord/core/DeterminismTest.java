package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.txn.Applied;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requirement 11 and DESIGN.md: replicas fed one log end equal, restored or not, tracked or not. */
class DeterminismTest {
    private static final CoreConfig CONFIG = CoreConfig.defaults().withContainerCheckIntervalMs(2000);

    private static void feed(StateMachine sm, List<RandomLog.Step> steps, List<Applied> out) {
        for (RandomLog.Step s : steps) {
            sm.apply(s.position(), s.time(), s.entry(), out == null ? null : out::add);
        }
    }

    @Test
    void twoReplicasFedTheSameLogEndWithEqualDigestsAndResults() {
        for (long seed = 1; seed <= 3; seed++) {
            RandomLog gen = new RandomLog(seed, CONFIG);
            List<RandomLog.Step> log = gen.generate(6000);
            StateMachine a = new StateMachine(CONFIG);
            StateMachine b = new StateMachine(CONFIG);
            List<Applied> outA = new ArrayList<>();
            List<Applied> outB = new ArrayList<>();
            feed(a, log, outA);
            feed(b, log, outB);
            assertEquals(a.digest(), b.digest());
            assertEquals(gen.driver().digest(), a.digest());
            assertEquals(ImageModel.of(a).render(), ImageModel.of(b).render());
            assertEquals(outA.size(), outB.size());
            for (int i = 0; i < outA.size(); i++) {
                assertEquals(outA.get(i).zxid(), outB.get(i).zxid());
                assertEquals(outA.get(i).result().code(), outB.get(i).result().code());
                assertEquals(outA.get(i).events(), outB.get(i).events());
            }
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
        List<RandomLog.Step> log = gen.generate(8000);
        StateMachine full = new StateMachine(CONFIG);
        feed(full, log, null);
        StateMachine half = new StateMachine(CONFIG);
        feed(half, log.subList(0, 4000), null);
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
    void drainedChangesRebuildExactlyTheFullImage() {
        // Requirement 10: coalesced changes applied to a store model equal a full image at every drain.
        RandomLog gen = new RandomLog(7, CONFIG);
        List<RandomLog.Step> log = gen.generate(6000);
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
