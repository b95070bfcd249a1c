package io.accord.tools.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the sessions of one event loop measured: a latency recorder written only by that loop's thread and read
 * interval by interval by the reporter, and error counts by ZooKeeper error code (rare, so atomics are fine). With
 * {@code --rate}, also the scheduled requests sent and those sent late (read by the reporter at the window's ends).
 */
final class LoopStats {
    /** Latencies are recorded in microseconds, up to a minute. */
    static final long HIGHEST_US = 60_000_000L;
    /** Error codes are 0..-127; the slot past them counts lost connections and protocol failures. */
    static final int FAILURE_SLOT = 128;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_US, 3);
    private final AtomicLongArray errors = new AtomicLongArray(FAILURE_SLOT + 1);
    private final AtomicLong scheduledSent = new AtomicLong();
    private final AtomicLong sentLate = new AtomicLong();
    private Histogram recycled;

    /** Called by the loop thread for each successful reply. */
    void record(long latencyUs) {
        recorder.recordValue(Math.min(Math.max(latencyUs, 0), HIGHEST_US));
    }

    /** Called by the loop thread for each error reply. */
    void error(int code) {
        int slot = code <= 0 && code > -FAILURE_SLOT ? -code : FAILURE_SLOT;
        errors.incrementAndGet(slot);
    }

    /** Called by the loop thread for each scheduled request it sends ({@code --rate}). */
    void scheduledSent(boolean late) {
        scheduledSent.lazySet(scheduledSent.get() + 1); // one writer: the loop thread
        if (late) {
            sentLate.lazySet(sentLate.get() + 1);
        }
    }

    long scheduledSent() {
        return scheduledSent.get();
    }

    long sentLate() {
        return sentLate.get();
    }

    void failure() {
        errors.incrementAndGet(FAILURE_SLOT);
    }

    /** Adds what was recorded since the last call to {@code into} (null: discards it). Reporter thread only. */
    void drainInto(Histogram into) {
        recycled = recorder.getIntervalHistogram(recycled);
        if (into != null) {
            into.add(recycled);
        }
    }

    long errors(int slot) {
        return errors.get(slot);
    }
}
