package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.txn.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Persistent mode: every acknowledged write survives a restart of the whole cluster. */
class PersistentRestartTest {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void restartOfAllMembersKeepsEveryAcknowledgedWriteAndRestoresFromXodus() {
        try (TestCluster c = TestCluster.of(3, StorageMode.PERSISTENT).startAll()) {
            c.awaitServing(WAIT);
            Map<Integer, List<Long>> acked = new HashMap<>();
            for (int i = 0; i < 25; i++) {
                for (int id = 1; id <= 3; id++) {
                    acked.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(c.submitCreate(id, "/d-" + id + "-" + i, WAIT));
                }
            }
            for (int id = 1; id <= 3; id++) {
                for (long r : acked.get(id)) {
                    assertInstanceOf(Result.Created.class, c.awaitApplied(id, r, WAIT).result());
                }
            }
            c.awaitConverged(WAIT);
            long digest = c.node(1).replica().digest();
            long position = c.node(1).replica().appliedPosition();
            Map<Integer, Long> closedAt = new HashMap<>();
            for (int id = 1; id <= 3; id++) {
                io.accord.core.Replica replica = c.node(id).replica();
                c.stop(id);
                closedAt.put(id, replica.appliedPosition()); // the others keep ticking until they stop
            }

            long t0 = System.nanoTime();
            c.startAll();
            c.awaitServing(WAIT);
            LOG.info("RESTART: 3 persistent members serving again {} ms after launch",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            for (int id = 1; id <= 3; id++) {
                assertEquals(closedAt.get(id), c.positionAtCreate.get(id),
                        "member " + id + " restores the tree from Xodus before Aeron replays");
            }
            for (int id = 1; id <= 3; id++) {
                for (int w = 1; w <= 3; w++) {
                    for (int i = 0; i < 25; i++) {
                        assertNotNull(c.node(id).replica().statOf("/d-" + w + "-" + i),
                                "member " + id + " lost acknowledged /d-" + w + "-" + i);
                    }
                }
            }
            c.awaitConverged(WAIT);
            assertTrue(c.node(2).replica().appliedPosition() > position);
            // The same log position holds the same state: the restored replicas replayed nothing twice.
            assertEquals(c.node(1).replica().nodeCount(), c.node(3).replica().nodeCount());
            long r = c.submitCreate(2, "/after-restart", WAIT);
            assertInstanceOf(Result.Created.class, c.awaitApplied(2, r, WAIT).result());
            c.awaitConverged(WAIT);
            LOG.info("digest before restart {}, after a new write {}", digest, c.node(1).replica().digest());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void restartPrefersWhicheverIsNewerOfTheXodusCheckpointAndTheAeronSnapshot() throws Exception {
        try (TestCluster c = TestCluster.of(3, StorageMode.PERSISTENT).startAll()) {
            c.awaitServing(WAIT);
            for (int i = 0; i < 20; i++) {
                c.awaitApplied(1, c.submitCreate(1, "/a" + i, WAIT), WAIT);
            }
            int leader = c.awaitLeader(WAIT);
            assertTrue(c.node(leader).takeSnapshot());
            TestCluster.await(() -> c.running().stream().allMatch(id -> c.node(id).stats().snapshotsTaken() >= 1),
                    WAIT, () -> "not every member took the snapshot");
            for (int i = 0; i < 20; i++) {
                c.awaitApplied(2, c.submitCreate(2, "/b" + i, WAIT), WAIT);
            }
            c.awaitConverged(WAIT);
            for (int id = 1; id <= 3; id++) {
                c.stop(id);
            }
            // Member 1 loses its checkpoint: it must start from the snapshot and replay only the log after it.
            TestCluster.deleteTree(c.dataDir(1).resolve("xodus"));
            c.startAll();
            c.awaitServing(WAIT);
            c.awaitConverged(WAIT);
            assertEquals(1, c.node(1).stats().snapshotsLoaded(), "member 1 starts from the snapshot");
            assertEquals(0, c.node(2).stats().snapshotsLoaded(), "member 2's checkpoint is newer than the snapshot");
            assertEquals(0, c.node(3).stats().snapshotsLoaded(), "member 3's checkpoint is newer than the snapshot");
            for (int id = 1; id <= 3; id++) {
                for (int i = 0; i < 20; i++) {
                    assertNotNull(c.node(id).replica().statOf("/a" + i));
                    assertNotNull(c.node(id).replica().statOf("/b" + i));
                }
            }
            long position = c.node(1).replica().appliedPosition();
            TestCluster.await(() -> c.node(1).stats().checkpointPosition() >= position, WAIT,
                    () -> "member 1 does not rebuild its checkpoint: " + c.node(1).stats());
        }
    }
}
