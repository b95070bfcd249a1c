package io.accord.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.codec.SnapshotCodec;
import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage layer against the real {@link StateMachine}: snapshots and Xodus checkpoints restore it exactly. */
class StateMachineCheckpointTest {
    private static final Checkpointer.Settings EXPLICIT_ONLY = new Checkpointer.Settings(3_600_000, 0);

    @TempDir
    Path dir;

    private static StateMachine load(CheckpointStore store) {
        StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
        assertTrue(store.load(loader));
        return loader.finish();
    }

    private static StateMachine replay(List<Workload.Step> steps, int upTo) {
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        for (int i = 0; i < upTo; i++) {
            steps.get(i).applyTo(sm);
        }
        return sm;
    }

    @Test
    void aSnapshotOfAReplicaLoadsIntoAReplicaWithTheSameDigest() throws IOException {
        Workload w = Workload.generate(1, 4000);
        StateMachine sm = w.driver;
        assertTrue(sm.nodeCount() > 100, "workload too small: " + sm.nodeCount() + " " + w.codes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.Writer writer = SnapshotCodec.writer(out);
        sm.writeImage(writer);
        SnapshotCodec.Summary written = writer.finish();
        StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
        SnapshotCodec.Summary read = SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray()), loader);
        StateMachine restored = loader.finish();
        assertEquals(sm.digest(), restored.digest());
        assertEquals(sm.nodeCount(), read.nodes());
        assertEquals(written.nodes(), read.nodes());
        assertEquals(sm.appliedPosition(), read.meta().appliedPosition());
    }

    @Test
    void xodusCheckpointsTakenMidWorkloadRestoreTheReplicaAndTheRestOfTheLogCatchesItUp() {
        Workload w = Workload.generate(2, 5000);
        List<Workload.Step> steps = w.steps;
        StateMachine live = new StateMachine(CoreConfig.defaults());
        Path path = dir.resolve("xodus");
        long digestAtStop;
        long positionAtStop;
        try (XodusCheckpointStore store = XodusCheckpointStore.open(path)) {
            Checkpointer cp = Checkpointer.start(live, store, EXPLICIT_ONLY);
            int[] checkpointsAt = {1, 900, 2000, 3100};
            int applied = 0;
            for (int at : checkpointsAt) {
                while (applied < at) {
                    steps.get(applied++).applyTo(live);
                }
                long durable = cp.checkpointAndSync(60_000);
                assertEquals(live.appliedPosition(), durable);
                assertEquals(durable, cp.durablePosition());
                // the store alone restores exactly this replica
                assertEquals(live.digest(), load(store).digest(), "after " + at + " entries");
            }
            while (applied < 3500) {
                steps.get(applied++).applyTo(live);
            }
            cp.close(); // final drain, write and fsync
            assertTrue(cp.healthy());
            digestAtStop = live.digest();
            positionAtStop = live.appliedPosition();
            assertEquals(positionAtStop, cp.durablePosition());
        }
        try (XodusCheckpointStore reopened = XodusCheckpointStore.open(path)) {
            assertEquals(positionAtStop, reopened.appliedPosition());
            StateMachine restored = load(reopened);
            assertEquals(digestAtStop, restored.digest());
            assertEquals(replay(steps, 3500).digest(), restored.digest());
            // feed the whole log: entries at or below the restored position are skipped by the replica itself
            for (Workload.Step s : steps) {
                s.applyTo(restored);
            }
            assertEquals(w.driver.digest(), restored.digest());
            assertEquals(w.driver.appliedPosition(), restored.appliedPosition());
        }
    }

    @Test
    void aStoreBehindASnapshotRestoredReplicaIsRebasedByAFullImage() {
        Workload w = Workload.generate(3, 3000);
        List<Workload.Step> steps = w.steps;
        Path path = dir.resolve("rebase");
        try (XodusCheckpointStore store = XodusCheckpointStore.open(path)) {
            StateMachine early = replay(steps, 500);
            Checkpointer cp = Checkpointer.start(early, store, EXPLICIT_ONLY);
            cp.close();
            assertEquals(early.appliedPosition(), store.appliedPosition());
            // a replica restored from a later snapshot (not from this store) takes over the same store
            StateMachine later = replay(steps, 2500);
            Checkpointer cp2 = Checkpointer.start(later, store, EXPLICIT_ONLY);
            for (int i = 2500; i < 2700; i++) {
                steps.get(i).applyTo(later);
            }
            cp2.close();
            assertEquals(later.digest(), load(store).digest());
            assertEquals(later.appliedPosition(), store.appliedPosition());
        }
    }

    @Test
    void aStoreAheadOfAReplicaRestoredFromAnOlderSnapshotFollowsTheReplica() {
        Workload w = Workload.generate(5, 2000);
        List<Workload.Step> steps = w.steps;
        try (XodusCheckpointStore store = XodusCheckpointStore.open(dir.resolve("ahead"))) {
            Checkpointer.start(replay(steps, 1500), store, EXPLICIT_ONLY).close();
            StateMachine older = replay(steps, 800);
            Checkpointer cp = Checkpointer.start(older, store, EXPLICIT_ONLY);
            assertEquals(older.appliedPosition(), cp.checkpointAndSync(60_000));
            for (int i = 800; i < 2000; i++) {
                steps.get(i).applyTo(older);
            }
            cp.close();
            assertTrue(cp.healthy());
            assertEquals(w.driver.digest(), load(store).digest());
        }
    }

    /** Hands every change to both sinks. */
    private static ChangeSink tee(ChangeSink first, ChangeSink second) {
        return new ChangeSink() {
            @Override
            public void aclPut(AclImage acl) {
                first.aclPut(acl);
                second.aclPut(acl);
            }

            @Override
            public void aclRemoved(int aclId) {
                first.aclRemoved(aclId);
                second.aclRemoved(aclId);
            }

            @Override
            public void nodePut(NodeImage node) {
                first.nodePut(node);
                second.nodePut(node);
            }

            @Override
            public void nodeRemoved(String path) {
                first.nodeRemoved(path);
                second.nodeRemoved(path);
            }

            @Override
            public void sessionPut(SessionImage session) {
                first.sessionPut(session);
                second.sessionPut(session);
            }

            @Override
            public void sessionRemoved(long sessionId) {
                first.sessionRemoved(sessionId);
                second.sessionRemoved(sessionId);
            }

            @Override
            public void meta(MetaImage meta) {
                first.meta(meta);
                second.meta(meta);
            }
        };
    }

    /** Reports a recorded change set to {@code sink} as a drain would: the changes, then meta. */
    private static void replay(ChangeSet changes, ChangeSink sink) {
        changes.acls().forEach((id, acl) -> {
            if (acl == null) {
                sink.aclRemoved(id);
            } else {
                sink.aclPut(acl);
            }
        });
        changes.nodes().forEach((path, node) -> {
            if (node == null) {
                sink.nodeRemoved(path);
            } else {
                sink.nodePut(node);
            }
        });
        changes.sessions().forEach((id, session) -> {
            if (session == null) {
                sink.sessionRemoved(id);
            } else {
                sink.sessionPut(session);
            }
        });
        if (changes.meta() != null) {
            sink.meta(changes.meta());
        }
    }

    @Test
    void theMemoryStoreRestoresTheSameReplicaAsXodus() {
        Workload w = Workload.generate(4, 2000);
        try (MemoryCheckpointStore memory = new MemoryCheckpointStore();
             XodusCheckpointStore xodus = XodusCheckpointStore.open(dir.resolve("x"))) {
            StateMachine a = new StateMachine(CoreConfig.defaults());
            // both stores get the very same changes: each drain for the memory store is also recorded, and the
            // Xodus checkpointer's drains hand over what was recorded
            Object lock = new Object();
            ChangeSet[] recorded = {new ChangeSet()};
            Checkpointer cpMemory = Checkpointer.start(sink -> {
                synchronized (lock) {
                    a.drainChanges(tee(sink, recorded[0]));
                }
            }, memory, EXPLICIT_ONLY);
            Checkpointer cpXodus = Checkpointer.start(sink -> {
                synchronized (lock) {
                    replay(recorded[0], sink);
                    recorded[0] = new ChangeSet();
                }
            }, xodus, EXPLICIT_ONLY);
            // seeding by hand: a ChangeSource start needs the initial tree written as a full image first
            ChangeSet seed = new ChangeSet();
            a.trackChanges();
            a.writeImage(seed.asImageSink());
            memory.apply(seed);
            xodus.apply(seed);
            int checkpoints = 0;
            for (int i = 0; i < 2000; i++) {
                w.steps.get(i).applyTo(a);
                if (i % 500 == 499) {
                    assertEquals(a.appliedPosition(), cpMemory.checkpointAndSync(60_000));
                    assertEquals(a.appliedPosition(), cpXodus.checkpointAndSync(60_000));
                    long digest = a.digest();
                    assertEquals(digest, load(memory).digest(), "memory after " + (i + 1) + " entries");
                    assertEquals(digest, load(xodus).digest(), "Xodus after " + (i + 1) + " entries");
                    checkpoints++;
                }
            }
            assertEquals(4, checkpoints);
            cpMemory.close();
            cpXodus.close();
            assertTrue(cpMemory.healthy() && cpXodus.healthy());
            assertEquals(a.appliedPosition(), memory.appliedPosition());
            assertEquals(a.appliedPosition(), xodus.appliedPosition());
            StateMachine fromMemory = load(memory);
            StateMachine fromXodus = load(xodus);
            assertEquals(a.digest(), fromMemory.digest());
            assertEquals(a.digest(), fromXodus.digest());
            assertEquals(fromMemory.appliedPosition(), fromXodus.appliedPosition());
            assertEquals(fromMemory.nodeCount(), fromXodus.nodeCount());
            assertTrue(fromXodus.nodeCount() > 100, "workload too small: " + fromXodus.nodeCount());
        }
    }
}
