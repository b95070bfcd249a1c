package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.txn.Applied;
import io.accord.core.txn.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A single node is a one-member Aeron cluster on the same path as a three-member one. */
class OneMemberTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * The submitter asks for periodic snapshots from its thread (the member thread in memory mode), which close()
     * and the reseed wait for while they hold the port's monitor: a snapshot request must not need that monitor.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSnapshotRequestDoesNotWaitForThePortsMonitor() throws Exception {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            c.start(1);
            c.awaitServing(WAIT);
            AeronReplicationPort port = c.node(1);
            TestCluster.await(port::isLeader, WAIT, () -> "member 1 never led");
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (port) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "holds-the-port");
            holder.start();
            try {
                assertTrue(held.await(10, TimeUnit.SECONDS));
                FutureTask<Boolean> request = new FutureTask<>(port::takeSnapshot);
                new Thread(request, "asks-for-a-snapshot").start();
                assertTrue(request.get(10, TimeUnit.SECONDS), "the request is accepted while the monitor is held");
            } finally {
                release.countDown();
                holder.join();
            }
            TestCluster.await(() -> port.stats().snapshotsTaken() >= 1, WAIT, () -> "no snapshot: " + port.stats());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void appliesSubmittedRequestsAndAnswersThroughTheListener() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            AeronReplicationPort port = AeronReplicationPort.create(c.context(1));
            assertFalse(port.submit(TestCluster.create(1, 1, 0, "/early", new byte[0])),
                    "a member that is not started must refuse requests");
            port.close();
            c.start(1);
            c.awaitServing(WAIT);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(c.submitCreate(1, "/n" + i, WAIT));
            }
            long lastZxid = 0;
            for (int i = 0; i < ids.size(); i++) {
                Applied a = c.awaitApplied(1, ids.get(i), WAIT);
                Result.Created created = assertInstanceOf(Result.Created.class, a.result());
                assertEquals("/n" + i, created.path());
                assertTrue(a.zxid() > lastZxid, "zxids increase in submission order");
                lastZxid = a.zxid();
                assertNotNull(c.node(1).replica().statOf("/n" + i));
            }
            long ticks = c.node(1).stats().ticksApplied();
            TestCluster.await(() -> c.node(1).stats().ticksApplied() >= ticks + 2, WAIT,
                    () -> "the replicated timer does not tick: " + c.node(1).stats());
            assertEquals(1, c.node(1).leaderMemberId());
            assertTrue(c.node(1).isLeader());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesRequestsTooLargeForOneLogEntry() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            c.start(1);
            c.awaitServing(WAIT);
            long session = c.session(1, WAIT);
            int max = c.node(1).context().maxEntryLength();
            assertFalse(c.node(1).submit(TestCluster.create(1, 1_000_007, session, "/big", new byte[max])));
            byte[] largest = new byte[TestCluster.SMALL.maxDataBytes()];
            long id = 1_000_008;
            assertTrue(c.node(1).submit(TestCluster.create(1, id, session, "/largest", largest)));
            Applied a = c.awaitApplied(1, id, WAIT);
            assertInstanceOf(Result.Created.class, a.result());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void persistentRestartLoadsXodusThenReplaysAndKeepsEveryAcknowledgedWrite() {
        try (TestCluster c = TestCluster.of(1, StorageMode.PERSISTENT)) {
            c.start(1);
            c.awaitServing(WAIT);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(c.submitCreate(1, "/p" + i, WAIT));
            }
            for (long id : ids) {
                c.awaitApplied(1, id, WAIT);
            }
            AeronReplicationPort closed = c.node(1);
            c.stop(1);
            // Read after close: the replicated timer may tick right up to the close.
            long digestBefore = closed.replica().digest();
            long positionBefore = closed.replica().appliedPosition();

            AeronReplicationPort reopened = AeronReplicationPort.create(c.context(1));
            try {
                assertEquals(positionBefore, reopened.replica().appliedPosition(),
                        "the final checkpoint on close holds everything applied");
                assertEquals(digestBefore, reopened.replica().digest());
            } finally {
                reopened.close();
            }
            c.start(1);
            c.awaitServing(WAIT);
            for (int i = 0; i < 50; i++) {
                assertNotNull(c.node(1).replica().statOf("/p" + i), "/p" + i + " lost across restart");
            }
            long id = c.submitCreate(1, "/after", WAIT);
            assertInstanceOf(Result.Created.class, c.awaitApplied(1, id, WAIT).result());
            TestCluster.await(() -> c.node(1).stats().checkpointPosition() > positionBefore, WAIT,
                    () -> "the checkpointer does not advance: " + c.node(1).stats());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecondMemberOnTheSameDataDirIsRefusedWithTheOwnersPid() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            c.start(1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> AeronReplicationPort.create(c.context(1)));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theLeaderTakesPeriodicSnapshots() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY, ctx -> ctx.snapshotIntervalMs(300))) {
            c.start(1);
            c.awaitServing(WAIT);
            c.submitCreate(1, "/snap", WAIT);
            TestCluster.await(() -> c.node(1).stats().snapshotsTaken() >= 2, WAIT,
                    () -> "no periodic snapshots: " + c.node(1).stats());
        }
    }

    @ParameterizedTest
    @EnumSource(StorageMode.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRestartedNodeWhoseClockWentBackStillHasItsWritesApplied(StorageMode mode) {
        AtomicLong clockMs = new AtomicLong(System.currentTimeMillis());
        try (TestCluster c = TestCluster.of(1, mode, ctx -> ctx.epochClockMs(clockMs::get))) {
            c.start(1);
            c.awaitServing(WAIT);
            c.awaitApplied(1, c.submitCreate(1, "/before", WAIT), WAIT);
            c.stop(1);
            clockMs.set(1_000); // sequences would now start far below the ones already in the log
            c.start(1);
            c.awaitServing(WAIT);
            Applied a = c.awaitApplied(1, c.submitCreate(1, "/after-clock-step", WAIT), WAIT);
            assertInstanceOf(Result.Created.class, a.result());
            assertNotNull(c.node(1).replica().statOf("/before"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRestartedNodeReplaysItsPredecessorsEntriesBeforeItServes() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            c.start(1);
            c.awaitServing(WAIT);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(c.submitCreate(1, "/old" + i, WAIT));
            }
            c.awaitApplied(1, ids.get(ids.size() - 1), WAIT);
            c.stop(1);
            c.start(1); // a new listener: it sees the predecessor's requests again, as the log replays
            c.awaitServing(WAIT);
            // serving() turns true only after the replay, so a front end's new request ids can never be confused
            // with replayed ones that were already there (stragglers aside: see the port's Javadoc).
            for (long id : ids) {
                assertTrue(c.recorder(1).own.containsKey(id), "request " + id + " not replayed before serving");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theDefaultProfileCarriesAZooKeeperMaximumValueThroughIngressAndLog() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY, ctx -> ctx.coreConfig(CoreConfig.defaults()))) {
            c.start(1);
            c.awaitServing(WAIT);
            assertEquals(16 << 20, c.node(1).context().ingressTermLength());
            long session = c.session(1, WAIT);
            byte[] value = new byte[CoreConfig.DEFAULT_MAX_DATA_BYTES];
            value[value.length - 1] = 42;
            long t0 = System.nanoTime();
            assertTrue(c.node(1).submit(TestCluster.create(1, 5_000_001, session, "/one-mib", value)));
            Applied a = c.awaitApplied(1, 5_000_001, WAIT);
            assertInstanceOf(Result.Created.class, a.result());
            Result.Data data = assertInstanceOf(Result.Data.class,
                    c.node(1).replica().getData("/one-mib", TestCluster.IP));
            assertEquals(42, data.data()[value.length - 1]);
            org.slf4j.LoggerFactory.getLogger(OneMemberTest.class).info("a {} byte value applied {} ms after submit",
                    value.length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }
}
