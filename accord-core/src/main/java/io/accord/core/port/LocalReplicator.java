package io.accord.core.port;

import io.accord.core.Replica;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single node's log, in process: one thread takes submitted requests in arrival order, batches whatever is
 * queued into one {@link LogEntry}, and applies it to the replica. It also appends the replicated timer
 * ({@link Op.Tick}) every {@code tickIntervalMs}, and a {@link Op.ResetDeadlines} when it starts, so sessions get
 * a grace period after a restart as they would after a leader change.
 *
 * <p>This is the port a one-node Accord runs on before (or without) Aeron Cluster: the order of the log is the
 * order of {@link #submit} calls, and nothing is made durable here.
 *
 * <p>Threading: {@link #submit} from any thread; everything else runs on the log thread. The log time is the
 * supplied clock, made non-decreasing.
 */
public final class LocalReplicator implements ReplicationPort {
    private static final Logger LOG = LoggerFactory.getLogger(LocalReplicator.class);
    private static final int MAX_BATCH = 1024;
    private static final Request TICK = new Request(0, 0, 0, List.of(), new Op.Tick());
    private static final Request RESET_DEADLINES = new Request(0, 0, 0, List.of(), new Op.ResetDeadlines());
    /** Queued by {@link #close()} to wake the log thread; never applied. */
    private static final Request WAKE_UP = new Request(0, 0, 0, List.of(), new Op.Sync("/"));

    private final Replica replica;
    private final int nodeId;
    private final long tickIntervalMs;
    private final LongSupplier clockMs;
    private final BlockingQueue<Request> queue;
    private final Thread thread;
    private volatile ApplyListener listener = ApplyListener.NONE;
    private volatile boolean running;
    private long position;
    private long sequence;
    private long lastTimeMs;

    /**
     * @param replica        the replica to apply to (already restored, if restoring)
     * @param nodeId         this node's origin id, 1..254
     * @param tickIntervalMs how often the timer entry is appended (e.g. half of ZooKeeper's tickTime)
     * @param queueCapacity  requests waiting for the log at most; {@link #submit} refuses beyond that
     * @param clockMs        wall clock in ms (the log's time source; apply never reads a clock itself)
     */
    public LocalReplicator(Replica replica, int nodeId, long tickIntervalMs, int queueCapacity, LongSupplier clockMs) {
        this.replica = Objects.requireNonNull(replica, "replica");
        if (nodeId < 1 || nodeId > 254) {
            throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: 1..254)");
        }
        if (tickIntervalMs <= 0) {
            throw new IllegalArgumentException("tickIntervalMs: " + tickIntervalMs + " (expected: > 0)");
        }
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: > 0)");
        }
        this.nodeId = nodeId;
        this.tickIntervalMs = tickIntervalMs;
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "accord-local-log");
        this.thread.setDaemon(true);
    }

    /** A replicator with the system clock and room for 65,536 queued requests. */
    public static LocalReplicator withSystemClock(Replica replica, int nodeId, long tickIntervalMs) {
        return new LocalReplicator(replica, nodeId, tickIntervalMs, 65_536, System::currentTimeMillis);
    }

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public Replica replica() {
        return replica;
    }

    @Override
    public void listener(ApplyListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        position = replica.appliedPosition();
        running = true;
        thread.start();
    }

    @Override
    public boolean submit(Request request) {
        Objects.requireNonNull(request, "request");
        return running && queue.offer(request);
    }

    @Override
    public boolean serving() {
        return running;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        // No interrupt: it could land inside the listener's or a store's I/O. A full queue wakes the thread anyway.
        queue.offer(WAKE_UP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Request> batch = new ArrayList<>(MAX_BATCH);
        applySystem(RESET_DEADLINES);
        long nextTick = now() + tickIntervalMs;
        try {
            while (running) {
                long wait = nextTick - clockMs.getAsLong();
                Request first = wait > 0 ? queue.poll(wait, TimeUnit.MILLISECONDS) : queue.poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    batch.removeIf(r -> r == WAKE_UP);
                    if (!batch.isEmpty()) {
                        replica.apply(++position, now(), new LogEntry(nodeId, ++sequence, List.copyOf(batch)),
                                listener);
                        batch.clear();
                    }
                }
                if (clockMs.getAsLong() >= nextTick) {
                    applySystem(TICK);
                    nextTick = lastTimeMs + tickIntervalMs;
                }
            }
        } catch (InterruptedException e) {
            running = false;
            LOG.warn("local log thread interrupted; the node no longer serves");
        } catch (RuntimeException | Error e) {
            // An exception out of apply is a bug in the state machine: stop applying rather than diverge.
            running = false;
            LOG.error("local log stopped: applying an entry failed; the node no longer serves", e);
        }
    }

    private void applySystem(Request request) {
        replica.apply(++position, now(), new LogEntry(0, 0, List.of(request)), listener);
    }

    private long now() {
        lastTimeMs = Math.max(lastTimeMs, clockMs.getAsLong());
        return lastTimeMs;
    }
}
