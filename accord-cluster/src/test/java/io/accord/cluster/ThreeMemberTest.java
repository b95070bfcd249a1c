package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import io.accord.core.txn.Result;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Three real Aeron members in one JVM: any node accepts writes, every replica applies the same log. */
class ThreeMemberTest {
    private static final Logger LOG = LoggerFactory.getLogger(ThreeMemberTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Submits {@code n} creates through each listed member and waits for each member's own acks. */
    private static Map<Integer, List<Long>> writeFromEach(TestCluster c, List<Integer> ids, String prefix, int n) {
        Map<Integer, List<Long>> submitted = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int id : ids) {
                submitted.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(c.submitCreate(id, prefix + "-" + id + "-" + i, WAIT));
            }
        }
        for (int id : ids) {
            for (long r : submitted.get(id)) {
                assertInstanceOf(Result.Created.class, c.awaitApplied(id, r, WAIT).result());
            }
        }
        return submitted;
    }

    private static void assertPathsEverywhere(TestCluster c, List<Integer> writers, String prefix, int n) {
        for (int id : c.running()) {
            for (int w : writers) {
                for (int i = 0; i < n; i++) {
                    assertNotNull(c.node(id).replica().statOf(prefix + "-" + w + "-" + i),
                            "member " + id + " lacks " + prefix + "-" + w + "-" + i);
                }
            }
        }
    }

    /** No request of any member applied more than once. */
    private static void assertAppliedOnce(TestCluster c) {
        for (int id : c.running()) {
            c.recorder(id).ownCount.forEach((requestId, count) ->
                    assertEquals(1, count.get(), "member " + id + " request " + requestId + " applied " + count));
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void writesSubmittedOnAnyMemberApplyOnAllWithEqualDigests() {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY).startAll()) {
            c.awaitServing(WAIT);
            int leader = c.awaitLeader(WAIT);
            LOG.info("leader is member {}", leader);
            writeFromEach(c, List.of(1, 2, 3), "/w", 40);
            c.awaitConverged(WAIT);
            assertPathsEverywhere(c, List.of(1, 2, 3), "/w", 40);
            assertAppliedOnce(c);
            assertEquals(c.node(1).replica().nodeCount(), c.node(3).replica().nodeCount());
        }
    }

    /** Names of the live threads that run Aeron's media driver, archive or consensus module on their own. */
    private static List<String> dedicatedAeronThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && (name.contains("driver-conductor") || name.startsWith("archive-conductor")
                    || name.startsWith("consensus-module"))) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean memberThreadRuns(int id) {
        return threadRuns("accord-member-" + id);
    }

    private static boolean threadRuns(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(name));
    }

    /**
     * Both thread layouts of a member's Aeron parts run the same cluster: one thread per member for driver,
     * archive and consensus module (the default), or Aeron's three threads; the layout leaves no trace on the
     * wire, so members may differ.
     */
    @ParameterizedTest
    @EnumSource(StorageMode.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sharedAndDedicatedThreadsRunTheSameCluster(StorageMode mode) {
        try (TestCluster c = TestCluster.of(3, mode, ctx -> ctx.sharedThread(ctx.nodeId() != 3)).startAll()) {
            c.awaitServing(WAIT);
            assertTrue(memberThreadRuns(1) && memberThreadRuns(2), "members 1 and 2 run on one thread each");
            assertTrue(!memberThreadRuns(3), "member 3 has no shared thread");
            List<String> dedicated = dedicatedAeronThreads();
            assertEquals(3, dedicated.size(), "only member 3 runs driver, archive and consensus module apart: "
                    + dedicated);
            boolean guests = mode == StorageMode.MEMORY;
            for (int id : List.of(1, 2)) {
                assertEquals(!guests, threadRuns("accord-ingress-" + id), "member " + id + ": in memory mode the "
                        + "submitter is a guest of the member thread, in persistent mode it has its own");
            }
            assertTrue(threadRuns("accord-ingress-3"), "member 3's submitter has a thread of its own");
            writeFromEach(c, List.of(1, 2, 3), "/t", 20);
            // a restart of a shared member and of the dedicated one, with writes in between
            for (int id : List.of(1, 3)) {
                c.stop(id);
                writeFromEach(c, c.running(), "/while-" + id + "-down", 5);
                c.start(id);
                c.awaitServing(WAIT);
            }
            writeFromEach(c, List.of(1, 2, 3), "/after", 5);
            c.awaitConverged(WAIT);
            assertPathsEverywhere(c, List.of(1, 2, 3), "/t", 20);
            assertPathsEverywhere(c, List.of(1, 2, 3), "/after", 5);
            assertAppliedOnce(c);
        }
        assertEquals(List.of(), dedicatedAeronThreads(), "every Aeron thread ends with its member");
        assertTrue(!memberThreadRuns(1) && !memberThreadRuns(2), "the shared threads end with their members");
        for (int id : List.of(1, 2, 3)) {
            assertTrue(!threadRuns("accord-ingress-" + id), "submitter threads end with their members");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void leaderCloseWritesResumeOnTheSurvivorsAndNothingAppliesTwice() {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY).startAll()) {
            c.awaitServing(WAIT);
            int leader = c.awaitLeader(WAIT);
            List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
            survivors.remove(Integer.valueOf(leader));
            writeFromEach(c, List.of(1, 2, 3), "/before", 20);

            // Keep requests in flight from the survivors while the leader goes away.
            List<Long> inFlight = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                for (int id : survivors) {
                    inFlight.add(c.submitCreate(id, "/inflight-" + id + "-" + i, WAIT));
                }
            }
            long t0 = System.nanoTime();
            c.stop(leader);
            long closedNs = System.nanoTime() - t0;
            int writer = survivors.get(0);
            long r = c.submitCreate(writer, "/first-after-failover", WAIT);
            c.awaitApplied(writer, r, WAIT);
            long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            int newLeader = c.awaitLeader(WAIT);
            LOG.info("FAILOVER: leader {} closed in {} ms; first write acknowledged on member {} {} ms after the "
                    + "close began; new leader {}", leader, TimeUnit.NANOSECONDS.toMillis(closedNs), writer,
                    failoverMs, newLeader);

            for (int j = 0; j < inFlight.size(); j++) {
                c.awaitApplied(survivors.get(j % 2), inFlight.get(j), WAIT);
            }
            writeFromEach(c, survivors, "/after", 20);
            c.awaitConverged(WAIT);
            assertAppliedOnce(c);
            for (int id : survivors) {
                c.recorder(id).own.values().forEach(a -> assertTrue(!(a.result() instanceof Result.Error),
                        "member " + id + ": " + a));
            }
            assertPathsEverywhere(c, List.of(1, 2, 3), "/before", 20);
            assertPathsEverywhere(c, survivors, "/after", 20);
            for (int id : survivors) {
                for (int i = 0; i < 50; i++) {
                    assertNotNull(c.node(id).replica().statOf("/inflight-" + survivors.get(0) + "-" + i));
                    assertNotNull(c.node(id).replica().statOf("/inflight-" + survivors.get(1) + "-" + i));
                }
            }

            // The old leader comes back (memory mode: its own log, then the rest from the others) and converges.
            long t1 = System.nanoTime();
            c.start(leader);
            c.awaitConverged(WAIT);
            LOG.info("old leader {} rejoined and converged in {} ms", leader,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
            assertPathsEverywhere(c, survivors, "/after", 20);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void restartedMemberLoadsTheSnapshotAndAWipedMemberCatchesUp() throws Exception {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY).startAll()) {
            c.awaitServing(WAIT);
            int leader = c.awaitLeader(WAIT);
            // Values of 2 KiB make snapshot chunks span several MTU-sized fragments.
            writeFromEach(c, List.of(1, 2, 3), "/s", 30);
            assertTrue(c.node(leader).takeSnapshot(), "the leader accepts a snapshot request");
            TestCluster.await(() -> c.running().stream().allMatch(id -> c.node(id).stats().snapshotsTaken() >= 1),
                    WAIT, () -> "not every member took the snapshot");
            writeFromEach(c, List.of(1, 2, 3), "/t", 10);
            c.awaitConverged(WAIT);

            int restarted = leader == 1 ? 2 : 1;
            int wiped = 6 - leader - restarted;
            c.stop(restarted);
            c.stop(wiped);
            c.wipe(wiped);
            c.start(restarted);
            c.awaitServing(WAIT);
            writeFromEach(c, List.of(leader), "/u", 10);
            c.start(wiped);
            c.awaitConverged(WAIT);
            assertEquals(1, c.node(restarted).stats().snapshotsLoaded(),
                    "a restarted memory-mode member starts from its snapshot: " + c.node(restarted).stats());
            LOG.info("wiped member {} caught up: {}", wiped, c.node(wiped).stats());
            assertPathsEverywhere(c, List.of(1, 2, 3), "/s", 30);
            assertPathsEverywhere(c, List.of(1, 2, 3), "/t", 10);
            assertPathsEverywhere(c, List.of(leader), "/u", 10);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void threeIdleMembersLeaveTheCpuToOthers() {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY).startAll()) {
            c.awaitServing(WAIT);
            writeFromEach(c, List.of(1, 2, 3), "/i", 5);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            AtomicInteger samples = new AtomicInteger();
            long end = t0 + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                samples.incrementAndGet();
            }
            double cores = (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
            LOG.info("IDLE CPU: 3 members in one JVM used {} cores over {} ms (box load average {})",
                    String.format("%.3f", cores), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    os.getSystemLoadAverage());
            assertTrue(cores < 1.0, "3 idle members used " + cores + " cores: something spins");
            c.running().forEach(id -> assertTrue(c.node(id).serving()));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMemberWithoutQuorumStopsServingAndAcknowledgesNothingUntilQuorumReturns() {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY).startAll()) {
            c.awaitServing(WAIT);
            writeFromEach(c, List.of(1, 2, 3), "/q", 5);
            int leader = c.awaitLeader(WAIT);
            List<Integer> others = new ArrayList<>(List.of(1, 2, 3));
            others.remove(Integer.valueOf(leader));
            c.stop(others.get(0));
            c.stop(others.get(1));
            // Submitted right away, while the lone member may still report serving: it must not be acknowledged.
            long pending = c.node(leader).submit(TestCluster.create(leader, 777_777, c.session(leader, WAIT),
                    "/no-quorum", new byte[0])) ? 777_777 : -1;
            TestCluster.await(() -> !c.node(leader).serving(), WAIT,
                    () -> "a member without quorum keeps serving: " + c.node(leader).stats());
            long lostQuorumAt = System.nanoTime();
            assertTrue(!c.recorder(leader).own.containsKey(777_777L), "acknowledged without a quorum");
            assertTrue(c.node(leader).replica().statOf("/no-quorum") == null);

            c.start(others.get(0));
            c.awaitServing(WAIT);
            LOG.info("quorum back after {} ms without it", TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - lostQuorumAt));
            if (pending > 0) {
                c.awaitApplied(leader, pending, WAIT);
                assertTrue(c.node(others.get(0)).replica().statOf("/no-quorum") != null
                        || c.node(leader).replica().statOf("/no-quorum") != null);
            }
            writeFromEach(c, List.of(leader, others.get(0)), "/back", 5);
            c.awaitConverged(WAIT);
            assertAppliedOnce(c);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageMode.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void throughputOfWritesFromAllMembersIsLogged(StorageMode mode) {
        try (TestCluster c = TestCluster.of(3, mode).startAll()) {
            c.awaitServing(WAIT);
            writeFromEach(c, List.of(1, 2, 3), "/warm", 100);
            int perMember = 5_000;
            long t0 = System.nanoTime();
            Map<Integer, List<Long>> ids = writeFromEach(c, List.of(1, 2, 3), "/tp", perMember);
            long ns = System.nanoTime() - t0;
            LOG.info("THROUGHPUT: {} creates submitted from 3 members, all acknowledged by their origin in {} ms: "
                    + "{} writes/s ({} mode, 3 members in one JVM, small buffers)", 3 * perMember,
                    TimeUnit.NANOSECONDS.toMillis(ns), String.format("%.0f", 3.0 * perMember * 1e9 / ns), mode);
            assertEquals(perMember, ids.get(2).size());
            c.awaitConverged(WAIT);
        }
    }
}
