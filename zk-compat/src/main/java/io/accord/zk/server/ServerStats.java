package io.accord.zk.server;

import com.codahale.metrics.Counter;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;

/**
 * What {@code srvr}, {@code stat} and {@code mntr} print: packets received and sent, request latency (min, avg,
 * max since the last {@code srst}), auth failures. The counts live in a Dropwizard {@link MetricRegistry}
 * ({@code zk.packets.received}, {@code zk.packets.sent}, {@code zk.request.latency}, {@code zk.auth.failed});
 * min/avg/max are also kept exactly here, because a Dropwizard timer cannot be reset.
 *
 * <p>Thread-safe.
 */
final class ServerStats {
    private final Counter received;
    private final Counter sent;
    private final Counter authFailed;
    private final Timer latency;
    private final long startNanos = System.nanoTime();
    private long minMs = Long.MAX_VALUE;
    private long maxMs;
    private long totalMs;
    private long count;

    ServerStats(MetricRegistry registry) {
        received = registry.counter("zk.packets.received");
        sent = registry.counter("zk.packets.sent");
        authFailed = registry.counter("zk.auth.failed");
        latency = registry.timer("zk.request.latency",
                () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    void packetReceived() {
        received.inc();
    }

    void packetSent() {
        sent.inc();
    }

    void authFailed() {
        authFailed.inc();
    }

    void requestDone(long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        latency.update(nanos, TimeUnit.NANOSECONDS);
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        synchronized (this) {
            minMs = Math.min(minMs, ms);
            maxMs = Math.max(maxMs, ms);
            totalMs += ms;
            count++;
        }
    }

    long packetsReceived() {
        return received.getCount();
    }

    long packetsSent() {
        return sent.getCount();
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

    /** Average in ms, rounded to two decimals as ZooKeeper prints it. */
    synchronized double avgLatencyMs() {
        return count == 0 ? 0.0 : Math.round(totalMs * 100.0 / count) / 100.0;
    }

    long uptimeMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** {@code srst}. */
    void reset() {
        received.dec(received.getCount());
        sent.dec(sent.getCount());
        synchronized (this) {
            minMs = Long.MAX_VALUE;
            maxMs = 0;
            totalMs = 0;
            count = 0;
        }
    }
}
