package io.accord.zk.server;

import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * A Dropwizard {@link Reservoir} over an HdrHistogram {@link Recorder}: every value since the server started,
 * kept to 2 significant digits (1%), as ZooKeeper's own latency summaries keep every request since start.
 *
 * <p>Why not Dropwizard's decaying sample: each request's latency is recorded on the apply thread, three times
 * (overall, per opcode, reads or updates), and the exponentially decaying reservoir's {@code Math.exp} and
 * skip-list insert made those records about 5% of a member's CPU under a write load. Recording here is wait-free
 * and costs a few tens of nanoseconds; the work moves to {@link #getSnapshot()}, which monitoring calls rarely.
 *
 * <p>{@link #getSnapshot} (the metric registry's view) covers every value since start and never goes back, as
 * exporters expect; {@link #snapshotSinceReset} covers the values since {@link #reset}, for {@code mntr} after
 * {@code srst}, which ZooKeeper's summaries also start again from zero.
 *
 * <p>Thread-safe: {@link #update} from any number of threads, the rest serialised.
 */
final class HdrReservoir implements Reservoir {
    private static final int DIGITS = 2;
    private final Recorder recorder = new Recorder(DIGITS);
    private final Histogram total = new Histogram(DIGITS);
    private Histogram interval;
    /** What {@link #total} held at the last {@link #reset} (null: none yet). */
    private Histogram atReset;

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, getSnapshot().size());
    }

    /** Records {@code value} (negative values count as 0). */
    @Override
    public void update(long value) {
        recorder.recordValue(Math.max(0, value));
    }

    @Override
    public synchronized Snapshot getSnapshot() {
        return new HdrSnapshot(merged().copy());
    }

    /** The values recorded since the last {@link #reset} (since start before the first). */
    synchronized Snapshot snapshotSinceReset() {
        Histogram h = merged().copy();
        if (atReset != null) {
            h.subtract(atReset);
        }
        return new HdrSnapshot(h);
    }

    /** Starts {@link #snapshotSinceReset} again from nothing; {@link #getSnapshot} is not affected. */
    synchronized void reset() {
        atReset = merged().copy();
    }

    /** {@link #total} with everything recorded so far. */
    private Histogram merged() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total;
    }

    /** A snapshot of the histogram: quantiles, min, max, mean and deviation from HdrHistogram. */
    private static final class HdrSnapshot extends Snapshot {
        private final Histogram h;

        HdrSnapshot(Histogram h) {
            this.h = h;
        }

        private boolean empty() {
            return h.getTotalCount() == 0;
        }

        @Override
        public double getValue(double quantile) {
            if (quantile < 0.0 || quantile > 1.0 || Double.isNaN(quantile)) {
                throw new IllegalArgumentException(quantile + " is not in [0..1]");
            }
            return empty() ? 0 : h.getValueAtPercentile(quantile * 100.0);
        }

        /** One value per histogram bucket that holds any (its highest equivalent value), lowest first. */
        @Override
        public long[] getValues() {
            LongStream.Builder values = LongStream.builder();
            for (HistogramIterationValue v : h.recordedValues()) {
                values.add(v.getValueIteratedTo());
            }
            return values.build().toArray();
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, h.getTotalCount());
        }

        @Override
        public long getMax() {
            return empty() ? 0 : h.getMaxValue();
        }

        @Override
        public double getMean() {
            return empty() ? 0 : h.getMean();
        }

        @Override
        public long getMin() {
            return empty() ? 0 : h.getMinValue();
        }

        @Override
        public double getStdDev() {
            return empty() ? 0 : h.getStdDeviation();
        }

        @Override
        public void dump(OutputStream output) {
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8))) {
                for (long v : getValues()) {
                    out.printf("%d%n", v);
                }
            }
        }
    }
}
