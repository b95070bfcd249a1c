package io.accord.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.concurrent.IdleStrategy;

/**
 * Diagnostic main: three idle members in this JVM with production timing, each agent's idle strategy wrapped to
 * count, per thread, the duty cycles that found work, the works that came within 1.5 ms of the previous one, and
 * the idle calls. Shows which agent wakes for what. Arguments: seconds to measure (default 10).
 */
public final class IdleWorkCensus {
    private static final Map<String, LongAdder[]> COUNTS = new ConcurrentHashMap<>();

    private IdleWorkCensus() {
    }

    private static final class Counting implements IdleStrategy {
        private final IdleStrategy delegate = new LowCpuIdleStrategy(LowCpuIdleStrategy.DEFAULT_MAX_SPINS,
                LowCpuIdleStrategy.DEFAULT_MAX_YIELDS,
                Long.getLong("census.minParkNs", LowCpuIdleStrategy.DEFAULT_MIN_PARK_NS),
                LowCpuIdleStrategy.DEFAULT_MAX_PARK_NS,
                Long.getLong("census.deepAfterNs", LowCpuIdleStrategy.DEFAULT_DEEP_AFTER_NS),
                Long.getLong("census.deepMaxParkNs", LowCpuIdleStrategy.DEFAULT_DEEP_MAX_PARK_NS));
        private long lastWork;

        @Override
        public void idle(int workCount) {
            LongAdder[] c = COUNTS.computeIfAbsent(Thread.currentThread().getName().replaceAll("-\\d+$", ""),
                    k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
            if (workCount > 0) {
                long now = System.nanoTime();
                c[0].increment();
                if (now - lastWork < 1_500_000) {
                    c[1].increment();
                }
                lastWork = now;
            } else {
                c[2].increment();
            }
            delegate.idle(workCount);
        }

        @Override
        public void idle() {
            idle(0);
        }

        @Override
        public void reset() {
            delegate.reset();
        }
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        try (TestCluster c = TestCluster.of(3, StorageMode.PERSISTENT, ctx -> ctx
                .leaderHeartbeatTimeoutNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .leaderHeartbeatIntervalNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_INTERVAL_NS)
                .startupCanvassTimeoutNs(2 * AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .tickIntervalMs(AeronReplicationPort.Configuration.TICK_INTERVAL_MS)
                .idleStrategySupplier(Counting::new)).startAll()) {
            c.awaitServing(java.time.Duration.ofSeconds(60));
            Thread.sleep(5_000);
            COUNTS.clear();
            long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() - cpu0;
            System.out.println(String.format("process CPU %.3f cores (load average %.1f)",
                    cpu / (seconds * 1e9), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage()));
            Map<String, String> out = new TreeMap<>();
            COUNTS.forEach((k, v) -> out.put(k, String.format("works %6.1f/s  close works %6.1f/s  idle calls %7.1f/s",
                    v[0].sum() / (double) seconds, v[1].sum() / (double) seconds, v[2].sum() / (double) seconds)));
            out.forEach((k, v) -> System.out.println(String.format("%-40s %s", k, v)));
        }
    }
}
