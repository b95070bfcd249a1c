package io.accord.core.storage;

import io.accord.core.image.ChangeSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link CheckpointStore} close behind the live replica. A <em>drainer</em> thread takes the replica's
 * coalesced changes ({@link io.accord.core.Replica#drainChanges}) every {@code drainIntervalMs} into an
 * accumulating {@link ChangeSet} (coalescing further: a znode changed in many drains is written once); a
 * <em>writer</em> thread every {@code intervalMs} (and on demand, and once more on close) takes one last drain,
 * swaps the accumulated set out and writes it with its position to the store in one atomic transaction; every
 * {@code syncIntervalMs} (and on demand) it also fsyncs the store.
 *
 * <p>Why two threads: {@code drainChanges} holds the replica back (apply waits) for a time proportional to the
 * znodes changed since the previous drain, while a large Xodus write takes seconds. Draining on its own short
 * interval keeps each apply pause to about {@code drainIntervalMs} worth of changes, however long writes take.
 *
 * <h2>Positions</h2>
 * <ul>
 *   <li>{@link #checkpointedPosition()}: committed to the store: survives a process crash.</li>
 *   <li>{@link #durablePosition()}: committed and fsynced: survives an OS crash or power loss. <b>The cluster must
 *   never truncate or purge its log past this position</b>; to truncate further, call {@link #checkpointAndSync}
 *   first and truncate to at most what it returns.</li>
 * </ul>
 *
 * <h2>Failure</h2>
 * A failing write (disk full, Xodus error) is logged, counted and exposed ({@link #lastFailure()},
 * {@link #consecutiveFailures()}, {@link #healthy()}); the set is merged back under what was drained since, and
 * the write is retried at the next interval, so nothing drained is ever lost and the positions do not advance
 * until a write succeeds. On-demand requests fail with the cause.
 *
 * <h2>Threading</h2>
 * Two daemon threads, {@code accord-checkpoint-writer} (every store write and sync) and
 * {@code accord-checkpoint-drainer} (drains only, never touches the store). Neither is ever interrupted (an
 * interrupt during a Xodus commit can break the environment): {@link #close} sets a flag and signals a condition;
 * an interrupt from elsewhere is logged and cleared. All public methods are thread-safe. Cost on the apply path:
 * only the time each {@code drainChanges} holds the replica; encoding and store I/O run on the writer.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final long FAILURE_LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    /** Where changes come from: {@code replica::drainChanges}. */
    @FunctionalInterface
    public interface ChangeSource {
        void drainChanges(ChangeSink sink);
    }

    /**
     * @param intervalMs      how often to write a change set to the store
     * @param syncIntervalMs  how often to fsync the store as well (0 = only on demand and on close)
     * @param drainIntervalMs how often to drain the replica's changes between writes (bounds each apply pause)
     */
    public record Settings(long intervalMs, long syncIntervalMs, long drainIntervalMs) {
        public Settings {
            if (intervalMs <= 0) {
                throw new IllegalArgumentException("intervalMs: " + intervalMs + " (expected: > 0)");
            }
            if (syncIntervalMs < 0) {
                throw new IllegalArgumentException("syncIntervalMs: " + syncIntervalMs + " (expected: >= 0)");
            }
            if (drainIntervalMs <= 0) {
                throw new IllegalArgumentException("drainIntervalMs: " + drainIntervalMs + " (expected: > 0)");
            }
        }

        /** Drains every 100 ms, or every {@code intervalMs} if that is shorter. */
        public Settings(long intervalMs, long syncIntervalMs) {
            this(intervalMs, syncIntervalMs, Math.max(1, Math.min(100, intervalMs)));
        }

        /** Writes every second, fsyncs every 10 s, drains every 100 ms. */
        public static Settings defaults() {
            return new Settings(1_000, 10_000, 100);
        }
    }

    private final ChangeSource source;
    private final CheckpointStore store;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final Thread thread;
    private final Thread drainer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final List<Request> requests = new ArrayList<>();
    private boolean closing;

    private volatile long checkpointedPosition;
    private volatile long durablePosition;
    private volatile Throwable lastFailure;
    private volatile int consecutiveFailures;
    private volatile long checkpoints;
    private volatile long changesWritten;
    private volatile long lastWriteNanos;
    private volatile long writeNanosTotal;
    private volatile long lastDrainNanos;
    private volatile long maxDrainNanos;
    private volatile long drains;
    private volatile long drainNanosTotal;

    /** Guards {@link #accumulating} and the drain statistics; held for the whole of each drain. */
    private final ReentrantLock drainLock = new ReentrantLock();
    private ChangeSet accumulating = new ChangeSet();
    private long lastFailureLogNs;

    private record Request(boolean sync, CompletableFuture<Long> done) {
    }

    private Checkpointer(ChangeSource source, CheckpointStore store, Settings settings, LongSupplier nanoClock) {
        this.source = source;
        this.store = store;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.checkpointedPosition = store.appliedPosition();
        this.durablePosition = store.appliedPosition();
        this.thread = new Thread(this::run, "accord-checkpoint-writer");
        thread.setDaemon(true);
        this.drainer = new Thread(this::drainLoop, "accord-checkpoint-drainer");
        drainer.setDaemon(true);
    }

    private void startThreads() {
        thread.start();
        drainer.start();
    }

    /**
     * Starts checkpointing {@code replica} into {@code store}: turns on change tracking and, unless the replica
     * sits exactly at the store's position (it was just loaded from it and has applied nothing since), seeds the
     * first change set with a full image that replaces the store's content. So a fresh store, or one that is
     * behind a replica restored from a snapshot, never ends up with a position it does not fully reflect.
     * Rebasing walks the whole image on the calling thread (applies go on meanwhile; about 1–2 s and a few hundred
     * MB of heap for 1M znodes) and writes it in one transaction on the checkpointer thread; start right after
     * loading the replica from this store, before applying anything, to avoid it.
     */
    public static Checkpointer start(io.accord.core.Replica replica, CheckpointStore store, Settings settings) {
        replica.trackChanges();
        Checkpointer c = new Checkpointer(replica::drainChanges, store, settings, System::nanoTime);
        long stored = store.appliedPosition();
        if (stored == CheckpointStore.EMPTY || replica.appliedPosition() != stored) {
            LOG.info("checkpoint store at position {}, replica at {}: the first checkpoint writes a full image",
                    stored, replica.appliedPosition());
            replica.writeImage(c.accumulating.asImageSink());
        }
        c.startThreads();
        return c;
    }

    /**
     * Starts checkpointing a raw change source into {@code store}. The caller guarantees that the store plus
     * every change the source will report is the whole state (for tests and custom wiring; replicas use
     * {@link #start(io.accord.core.Replica, CheckpointStore, Settings)}).
     */
    public static Checkpointer start(ChangeSource source, CheckpointStore store, Settings settings) {
        Checkpointer c = new Checkpointer(source, store, settings, System::nanoTime);
        c.startThreads();
        return c;
    }

    /** Committed to the store (survives a process crash). */
    public long checkpointedPosition() {
        return checkpointedPosition;
    }

    /** Committed and fsynced (survives an OS crash): the log must not be truncated past it. */
    public long durablePosition() {
        return durablePosition;
    }

    /** Null when the last write succeeded, else its failure. */
    public Throwable lastFailure() {
        return consecutiveFailures == 0 ? null : lastFailure;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public boolean healthy() {
        return consecutiveFailures == 0;
    }

    /** Number of change sets written. */
    public long checkpoints() {
        return checkpoints;
    }

    /** Node, ACL and session changes written in total (each distinct per change set). */
    public long changesWritten() {
        return changesWritten;
    }

    /** Duration of the last store write, in nanoseconds. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Total time spent in store writes, in nanoseconds: {@link #changesWritten()} over it is the capacity. */
    public long writeNanosTotal() {
        return writeNanosTotal;
    }

    /** Duration of the last {@code drainChanges} call: the time the replica's apply waited for it. */
    public long lastDrainNanos() {
        return lastDrainNanos;
    }

    /** Number of {@code drainChanges} calls so far. */
    public long drains() {
        return drains;
    }

    /** Total time spent in {@code drainChanges}, in nanoseconds. */
    public long drainNanosTotal() {
        return drainNanosTotal;
    }

    /** Longest {@code drainChanges} call so far. */
    public long maxDrainNanos() {
        return maxDrainNanos;
    }

    /**
     * Asks for a checkpoint now. The returned future completes with {@link #checkpointedPosition()} (or
     * {@link #durablePosition()} when {@code sync}) after a drain that started after this call was written, or
     * fails with the write's exception.
     */
    public CompletableFuture<Long> requestCheckpoint(boolean sync) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (closing) {
                done.completeExceptionally(new IllegalStateException("checkpointer is closed"));
                return done;
            }
            requests.add(new Request(sync, done));
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        return done;
    }

    /**
     * Drains, writes and fsyncs now, waiting at most {@code timeoutMs}; returns the durable position. This is the
     * call to make before truncating the log.
     *
     * @throws CheckpointException if the write or sync failed or the timeout passed
     */
    public long checkpointAndSync(long timeoutMs) {
        try {
            return requestCheckpoint(true).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CheckpointException("checkpoint failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CheckpointException("checkpoint did not finish within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("interrupted while waiting for a checkpoint");
        }
    }

    /**
     * Stops both threads after a final drain, write and fsync, then returns. Does not close the store (its owner
     * does). If the final write fails, the failure is logged and left in {@link #lastFailure()}.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        joinUninterruptibly(drainer);
        joinUninterruptibly(thread);
    }

    /** Waits for {@code t} even if interrupted (the final checkpoint must finish), then restores the interrupt. */
    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                LOG.warn("interrupted while waiting for {} to finish; still waiting", t.getName());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The drainer: drains every drainIntervalMs until closing (the writer does the last drain). After a drain that
     * found nothing new the wait doubles, up to 4 x drainIntervalMs (and never past the writer's interval), so an
     * idle member does not wake ten times a second for nothing; a drain that finds new changes brings it back to
     * drainIntervalMs. The first drain of a burst after a quiet spell may so hold up to four intervals' worth.
     */
    private void drainLoop() {
        long baseNs = TimeUnit.MILLISECONDS.toNanos(settings.drainIntervalMs());
        long maxNs = Math.max(baseNs, Math.min(TimeUnit.MILLISECONDS.toNanos(settings.intervalMs()), 4 * baseNs));
        long intervalNs = baseNs;
        long next = nanoClock.getAsLong() + intervalNs;
        while (true) {
            lock.lock();
            try {
                while (!closing) {
                    long wait = next - nanoClock.getAsLong();
                    if (wait <= 0) {
                        break;
                    }
                    try {
                        wake.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        LOG.warn("checkpoint drainer was interrupted; ignoring (use close() to stop it)");
                    }
                }
                if (closing) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            boolean found = true;
            try {
                found = drain();
            } catch (RuntimeException | Error e) {
                recordFailure(e); // the next write's own drain will meet it again, or succeed
            }
            intervalNs = found ? baseNs : Math.min(maxNs, 2 * intervalNs);
            next = nanoClock.getAsLong() + intervalNs;
        }
    }

    /** Drains the source into the accumulating set; returns with nothing held, true if it found changes. */
    private boolean drain() {
        drainLock.lock();
        try {
            long start = nanoClock.getAsLong();
            int sizeBefore = accumulating.size();
            source.drainChanges(accumulating);
            // What a capture copies under the apply lock is bounded by the distinct znodes and sessions changed
            // since the last one; only a growing set means that bound is rising. (Every drain hands over a new
            // meta image, and a timer tick moves the position: neither costs a capture anything.)
            boolean found = accumulating.size() != sizeBefore;
            long took = nanoClock.getAsLong() - start;
            lastDrainNanos = took;
            maxDrainNanos = Math.max(maxDrainNanos, took);
            drains++;
            drainNanosTotal += took;
            return found;
        } finally {
            drainLock.unlock();
        }
    }

    private void run() {
        long nextWrite = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(settings.intervalMs());
        long nextSync = settings.syncIntervalMs() == 0 ? Long.MAX_VALUE
                : nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(settings.syncIntervalMs());
        while (true) {
            List<Request> batch;
            boolean last;
            lock.lock();
            try {
                while (!closing && requests.isEmpty()) {
                    long wait = nextWrite - nanoClock.getAsLong();
                    if (wait <= 0) {
                        break;
                    }
                    try {
                        wake.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        // never let an interrupt reach Xodus: clear it and carry on
                        LOG.warn("checkpointer thread was interrupted; ignoring (use close() to stop it)");
                    }
                }
                last = closing;
                batch = new ArrayList<>(requests);
                requests.clear();
            } finally {
                lock.unlock();
            }
            long now = nanoClock.getAsLong();
            boolean sync = last || now >= nextSync || batch.stream().anyMatch(Request::sync);
            Throwable failure = checkpointOnce(sync);
            now = nanoClock.getAsLong();
            nextWrite = now + TimeUnit.MILLISECONDS.toNanos(settings.intervalMs());
            if (sync && failure == null && settings.syncIntervalMs() > 0) {
                nextSync = now + TimeUnit.MILLISECONDS.toNanos(settings.syncIntervalMs());
            }
            for (Request r : batch) {
                if (failure != null) {
                    r.done().completeExceptionally(failure);
                } else {
                    r.done().complete(r.sync() ? durablePosition : checkpointedPosition);
                }
            }
            if (last) {
                failPendingRequests();
                return;
            }
        }
    }

    private void failPendingRequests() {
        lock.lock();
        try {
            for (Request r : requests) {
                r.done().completeExceptionally(new IllegalStateException("checkpointer is closed"));
            }
            requests.clear();
        } finally {
            lock.unlock();
        }
    }

    /** One last drain, then write the accumulated set (+ sync); returns the failure or null. */
    private Throwable checkpointOnce(boolean sync) {
        if (Thread.interrupted()) { // clear it before Xodus sees it
            LOG.warn("checkpoint writer was interrupted; ignoring (use close() to stop it)");
        }
        ChangeSet set = null;
        try {
            drainLock.lock();
            try {
                drain();
                set = accumulating;
                accumulating = new ChangeSet();
            } finally {
                drainLock.unlock();
            }
            if (!set.isEmpty()) {
                int n = set.size();
                long start = nanoClock.getAsLong();
                store.apply(set);
                lastWriteNanos = nanoClock.getAsLong() - start;
                writeNanosTotal += lastWriteNanos;
                checkpoints++;
                changesWritten += n;
                checkpointedPosition = store.appliedPosition();
            }
            set = null;
            if (sync) {
                durablePosition = store.sync();
            }
            if (consecutiveFailures > 0) {
                LOG.info("checkpoints succeed again after {} failures, at position {}", consecutiveFailures,
                        checkpointedPosition);
            }
            consecutiveFailures = 0;
            return null;
        } catch (RuntimeException | Error e) {
            if (set != null) { // not written: put it back under whatever was drained meanwhile
                drainLock.lock();
                try {
                    set.putAll(accumulating);
                    accumulating = set;
                } finally {
                    drainLock.unlock();
                }
            }
            recordFailure(e);
            return e;
        }
    }

    private void recordFailure(Throwable e) {
        lastFailure = e;
        int failures;
        synchronized (this) {
            failures = ++consecutiveFailures;
        }
        long now = nanoClock.getAsLong();
        if (failures == 1 || now - lastFailureLogNs >= FAILURE_LOG_INTERVAL_NS) {
            lastFailureLogNs = now;
            LOG.error("checkpoint failed ({} in a row; the changes are kept for the next attempt; store stays at "
                    + "position {}, durable {})", failures, checkpointedPosition, durablePosition, e);
        }
    }
}
