package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.accord.core.txn.Result;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous write latency and windowed throughput of 3 members in one JVM, with the settings before {@link
 * LowCpuIdleStrategy} (Agrona's back-off, 100 ms heartbeats) and with the defaults, in the same run so that both see
 * the same box. Figures are logged, not asserted (the box is shared); the test checks every write applied.
 */
class IdleStrategyLatencyTest {
    private static final Logger LOG = LoggerFactory.getLogger(IdleStrategyLatencyTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SYNC_WRITES = 500;
    private static final int WINDOWED_WRITES = 10_000;
    private static final int WINDOW = 1_000;
    private static final int SPORADIC_WRITES = 10;

    private static void awaitOwn(TestCluster c, int id, long requestId) {
        TestCluster.Recorder rec = c.recorder(id);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!rec.own.containsKey(requestId)) {
            if (System.nanoTime() > deadline) {
                fail("member " + id + " request " + requestId + " not applied: " + c.node(id).stats());
            }
            LockSupport.parkNanos(20_000); // fine-grained: this measures latency
        }
        assertTrue(rec.own.get(requestId).result() instanceof Result.Created, "" + rec.own.get(requestId));
    }

    private static String measure(String name, UnaryOperator<AeronReplicationPort.Context> settings) {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY, ctx -> settings.apply(ctx)
                .leaderHeartbeatTimeoutNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .startupCanvassTimeoutNs(2 * AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .tickIntervalMs(AeronReplicationPort.Configuration.TICK_INTERVAL_MS)).startAll()) {
            c.awaitServing(WAIT);
            int leader = c.awaitLeader(WAIT);
            int follower = leader == 1 ? 2 : 1;
            for (int i = 0; i < 200; i++) { // warm-up
                awaitOwn(c, follower, c.submitCreate(follower, "/w-" + i, WAIT));
            }
            long[] lat = new long[SYNC_WRITES];
            for (int i = 0; i < SYNC_WRITES; i++) {
                long t0 = System.nanoTime();
                awaitOwn(c, follower, c.submitCreate(follower, "/s-" + i, WAIT));
                lat[i] = System.nanoTime() - t0;
            }
            Arrays.sort(lat);
            // Writes after an idle spell of 200 ms: what a sporadic client sees.
            long[] sporadic = new long[SPORADIC_WRITES];
            for (int i = 0; i < SPORADIC_WRITES; i++) {
                long idleFrom = System.nanoTime();
                TestCluster.await(() -> System.nanoTime() - idleFrom >= TimeUnit.MILLISECONDS.toNanos(200), WAIT,
                        () -> "clock");
                long t = System.nanoTime();
                awaitOwn(c, follower, c.submitCreate(follower, "/p-" + i, WAIT));
                sporadic[i] = System.nanoTime() - t;
            }
            Arrays.sort(sporadic);
            if (name.contains("quiet after")) {
                long rings = c.node(follower).stats().doorbellRings();
                assertTrue(rings > 0, "the writes after quiet spells never rang the doorbell: " + rings);
            }
            ArrayDeque<Long> window = new ArrayDeque<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < WINDOWED_WRITES; i++) {
                if (window.size() == WINDOW) {
                    awaitOwn(c, follower, window.poll());
                }
                window.add(c.submitCreate(follower, "/t-" + i, WAIT));
            }
            while (!window.isEmpty()) {
                awaitOwn(c, follower, window.poll());
            }
            long ns = System.nanoTime() - t0;
            c.awaitConverged(WAIT);
            assertEquals(WINDOWED_WRITES + SYNC_WRITES + SPORADIC_WRITES + 200 + 1, c.recorder(follower).own.size());
            return String.format("%n    %-34s sync write (window 1, %d writes from follower %d): p50 %.2f ms, p90 %.2f "
                            + "ms, p99 %.2f ms; %d writes window %d: %.0f writes/s; %d writes each after 200 ms idle: "
                            + "p50 %.2f ms, max %.2f ms", name, SYNC_WRITES, follower,
                    lat[SYNC_WRITES / 2] / 1e6, lat[SYNC_WRITES * 9 / 10] / 1e6, lat[SYNC_WRITES * 99 / 100] / 1e6,
                    WINDOWED_WRITES, WINDOW, WINDOWED_WRITES * 1e9 / ns, SPORADIC_WRITES,
                    sporadic[SPORADIC_WRITES / 2] / 1e6, sporadic[SPORADIC_WRITES - 1] / 1e6);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void latencyAndThroughputBeforeAndAfterTheLowCpuDefaultsAreLogged() {
        String before = measure("before (backoff, heartbeat 100 ms)", ctx -> ctx.idleStrategy("backoff")
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)));
        // A quiet period shorter than the sporadic writes' 200 ms pauses: each of them finds every agent of every
        // member in its deep park, and the doorbell must wake them.
        String after = measure("after (low-cpu, 250 ms, quiet after 100 ms)", ctx -> ctx
                .leaderHeartbeatIntervalNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_INTERVAL_NS)
                .quietAfterNs(TimeUnit.MILLISECONDS.toNanos(100)));
        LOG.info("LATENCY AND THROUGHPUT, 3 members in one JVM, memory mode, small buffers (box load average {}):{}{}",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), before,
                after);
    }
}
