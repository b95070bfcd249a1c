package io.accord.zk.server;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.accord.zk.proto.OpCode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's traffic figures: packets and bytes in and out, request latency (overall and one {@link Timer} per
 * opcode), response sizes and auth failures. The counters live in the Dropwizard {@link MetricRegistry} under the
 * names of {@link ZkMetrics} and only ever grow (a Prometheus counter must not go down); {@code srst} moves a
 * baseline instead, so {@code srvr}/{@code mntr} report the figures since the last reset as ZooKeeper does.
 * Min/avg/max latency are kept exactly here (a Dropwizard timer cannot be reset).
 *
 * <p>Thread-safe.
 */
final class ServerStats {
    private final Counter received;
    private final Counter sent;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final Counter authFailed;
    private final Timer latency;
    private final Map<OpCode, Timer> perOp = new EnumMap<>(OpCode.class);
    private final Summary readLatency;
    private final Summary updateLatency;
    private final long startNanos = System.nanoTime();
    private long receivedBase;
    private long sentBase;
    private long minMs = Long.MAX_VALUE;
    private long maxMs;
    private long totalMs;
    private long count;
    private int lastResponseSize = -1;
    private int minResponseSize = -1;
    private int maxResponseSize = -1;

    ServerStats(MetricRegistry registry) {
        received = registry.counter(ZkMetrics.PACKETS_RECEIVED);
        sent = registry.counter(ZkMetrics.PACKETS_SENT);
        bytesReceived = registry.counter(ZkMetrics.BYTES_RECEIVED);
        bytesSent = registry.counter(ZkMetrics.BYTES_SENT);
        authFailed = registry.counter(ZkMetrics.AUTH_FAILED);
        latency = registry.timer(ZkMetrics.REQUEST_LATENCY, ServerStats::newTimer);
        readLatency = new Summary(registry, ZkMetrics.READ_LATENCY);
        updateLatency = new Summary(registry, ZkMetrics.UPDATE_LATENCY);
        for (OpCode op : OpCode.values()) {
            perOp.put(op, registry.timer(ZkMetrics.requestTimer(op), ServerStats::newTimer));
        }
    }

    /** The requests ZooKeeper times as {@code readlatency}: those that read the tree. */
    private static final Set<OpCode> READS = EnumSet.of(OpCode.EXISTS, OpCode.GET_DATA,
            OpCode.GET_ACL, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2, OpCode.GET_EPHEMERALS,
            OpCode.GET_ALL_CHILDREN_NUMBER, OpCode.MULTI_READ);

    /**
     * A latency summary in milliseconds as ZooKeeper's metrics provider prints it in {@code mntr}: exact count
     * and sum, min/max/percentiles to 1%, all since the last {@code srst} as ZooKeeper's (the registry's timer of
     * the same name counts since start).
     */
    static final class Summary {
        private final HdrReservoir reservoir = new HdrReservoir();
        private final Timer timer;
        private final LongAdder sumMs = new LongAdder();

        Summary(MetricRegistry registry, String name) {
            timer = registry.register(name, timer(reservoir));
        }

        void update(long nanos) {
            timer.update(nanos, TimeUnit.NANOSECONDS);
            sumMs.add(TimeUnit.NANOSECONDS.toMillis(nanos));
        }

        /** {@code srst}: the summary starts again from nothing. */
        void reset() {
            reservoir.reset();
            sumMs.reset();
        }

        /** Adds {@code avg_<name>}, {@code min_}, {@code max_}, {@code cnt_}, {@code sum_}, {@code p50_}, ... */
        void dump(String name, Map<String, Object> out) {
            Snapshot snap = reservoir.snapshotSinceReset();
            long count = snap.size();
            long sum = sumMs.sum();
            out.put("avg_" + name, count == 0 ? 0.0 : BigDecimal.valueOf(sum)
                    .divide(BigDecimal.valueOf(count), 4, RoundingMode.HALF_UP).doubleValue());
            out.put("min_" + name, count == 0 ? 0L : TimeUnit.NANOSECONDS.toMillis(snap.getMin()));
            out.put("max_" + name, count == 0 ? 0L : TimeUnit.NANOSECONDS.toMillis(snap.getMax()));
            out.put("cnt_" + name, count);
            out.put("sum_" + name, sum);
            out.put("p50_" + name, ms(snap.getMedian()));
            out.put("p95_" + name, ms(snap.get95thPercentile()));
            out.put("p99_" + name, ms(snap.get99thPercentile()));
            out.put("p999_" + name, ms(snap.get999thPercentile()));
        }

        private static long ms(double nanos) {
            return Math.round(nanos / 1_000_000.0);
        }
    }

    void dumpLatencySummaries(Map<String, Object> out) {
        updateLatency.dump("updatelatency", out);
        readLatency.dump("readlatency", out);
    }

    private static Timer newTimer() {
        return timer(new HdrReservoir());
    }

    /** A timer whose updates cost no clock read: see {@link HdrReservoir} and {@link LazyMeter}. */
    private static Timer timer(HdrReservoir reservoir) {
        return new Timer(new LazyMeter(), new Histogram(reservoir), Clock.defaultClock());
    }

    void packetReceived() {
        received.inc();
    }

    void bytesReceived(int bytes) {
        bytesReceived.inc(bytes);
    }

    void bytesSent(int bytes) {
        bytesSent.inc(bytes);
    }

    void authFailed() {
        authFailed.inc();
    }

    /**
     * Frames (replies and events) written to a client in one batch, with the serialized sizes (without the 4-byte
     * length) of the last, the smallest and the largest of them (mntr {@code zk_*_client_response_size}).
     */
    void framesSent(int frames, int lastBytes, int minBytes, int maxBytes) {
        sent.inc(frames);
        synchronized (this) {
            lastResponseSize = lastBytes;
            minResponseSize = minResponseSize == -1 ? minBytes : Math.min(minResponseSize, minBytes);
            maxResponseSize = Math.max(maxResponseSize, maxBytes);
        }
    }

    /** A request was answered; {@code op} is null for frames that were not a well-formed request. */
    void requestDone(OpCode op, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        latency.update(nanos, TimeUnit.NANOSECONDS);
        if (op != null) {
            perOp.get(op).update(nanos, TimeUnit.NANOSECONDS);
            if (op.isWrite()) {
                updateLatency.update(nanos);
            } else if (READS.contains(op)) {
                readLatency.update(nanos);
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        synchronized (this) {
            minMs = Math.min(minMs, ms);
            maxMs = Math.max(maxMs, ms);
            totalMs += ms;
            count++;
        }
    }

    synchronized long packetsReceived() {
        return received.getCount() - receivedBase;
    }

    synchronized long packetsSent() {
        return sent.getCount() - sentBase;
    }

    long bytesReceivedCount() {
        return bytesReceived.getCount();
    }

    long authFailedCount() {
        return authFailed.getCount();
    }

    synchronized long minLatencyMs() {
        return minMs == Long.MAX_VALUE ? 0 : minMs;
    }

    synchronized long maxLatencyMs() {
        return maxMs;
    }

    /** Average in ms, rounded half-up to four decimals as ZooKeeper 3.9 prints it ({@code 7.3333}, {@code 0.0}). */
    synchronized double avgLatencyMs() {
        if (count == 0) {
            return 0.0;
        }
        return BigDecimal.valueOf(totalMs).divide(BigDecimal.valueOf(count), 4, RoundingMode.HALF_UP).doubleValue();
    }

    synchronized int lastResponseSize() {
        return lastResponseSize;
    }

    synchronized int minResponseSize() {
        return minResponseSize;
    }

    synchronized int maxResponseSize() {
        return maxResponseSize;
    }

    long uptimeMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** {@code srst}: packets and latency start again from zero (the registry's counters keep counting). */
    synchronized void reset() {
        receivedBase = received.getCount();
        sentBase = sent.getCount();
        minMs = Long.MAX_VALUE;
        maxMs = 0;
        totalMs = 0;
        count = 0;
        lastResponseSize = -1;
        minResponseSize = -1;
        maxResponseSize = -1;
        readLatency.reset();
        updateLatency.reset();
    }
}
