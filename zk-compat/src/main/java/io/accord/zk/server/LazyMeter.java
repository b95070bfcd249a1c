package io.accord.zk.server;

import com.codahale.metrics.Clock;
import com.codahale.metrics.EWMA;
import com.codahale.metrics.Meter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard {@link Meter} whose {@link #mark} is one {@link LongAdder} add and nothing else: no clock read, no
 * moving-average update. The 1/5/15-minute rates are brought up to date when someone reads them, from the count's
 * growth since the last 5-second tick.
 *
 * <p>Why: each reply updates three request timers on the apply thread, and Dropwizard's meter reads
 * {@code System.nanoTime()} and adds to three more adders on every mark. A profile of a member under a write load
 * put that at about 4% of the member's CPU; the rates are read by monitoring every few seconds at most.
 *
 * <p>The rates equal Dropwizard's own meter's whenever they are read at least once per tick (the difference is
 * only where a tick boundary falls between concurrent marks). When several ticks have passed unread, Dropwizard's
 * meter credits everything counted since its last tick to the first of them (its ticks happen on mark or read);
 * this one spreads it evenly over them (what a steady load over those seconds would have given), the remainder of
 * the division going to the oldest.
 *
 * <p>Thread-safe: {@link #mark} from any number of threads; reads serialise among themselves.
 */
final class LazyMeter extends Meter {
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * Most ticks run in one catch-up: after 2000 ticks (2.8 hours) even the 15-minute average keeps less than
     * 2e-5 of what it held before, so older ticks would change nothing visible.
     */
    private static final long MAX_CATCH_UP = 2000;

    private final LongAdder count = new LongAdder();
    private final Clock clock;
    private final long startNanos;
    private final EWMA m1 = EWMA.oneMinuteEWMA();
    private final EWMA m5 = EWMA.fiveMinuteEWMA();
    private final EWMA m15 = EWMA.fifteenMinuteEWMA();
    /** Start of the tick interval in progress, and the count when it began (guarded by this). */
    private long tickStartNanos;
    private long countAtTick;

    LazyMeter() {
        this(Clock.defaultClock());
    }

    LazyMeter(Clock clock) {
        super(clock);
        this.clock = clock;
        this.startNanos = clock.getTick();
        this.tickStartNanos = startNanos;
    }

    @Override
    public void mark() {
        count.increment();
    }

    @Override
    public void mark(long n) {
        count.add(n);
    }

    @Override
    public long getCount() {
        return count.sum();
    }

    @Override
    public double getMeanRate() {
        long c = getCount();
        if (c == 0) {
            return 0.0;
        }
        long elapsed = clock.getTick() - startNanos;
        return elapsed <= 0 ? 0.0 : c / (double) elapsed * TimeUnit.SECONDS.toNanos(1);
    }

    @Override
    public double getOneMinuteRate() {
        catchUp();
        return m1.getRate(TimeUnit.SECONDS);
    }

    @Override
    public double getFiveMinuteRate() {
        catchUp();
        return m5.getRate(TimeUnit.SECONDS);
    }

    @Override
    public double getFifteenMinuteRate() {
        catchUp();
        return m15.getRate(TimeUnit.SECONDS);
    }

    /**
     * Runs every whole tick that has passed (as Dropwizard's meter, once more than a tick's time has gone by),
     * sharing the count's growth since the last one evenly among them.
     */
    private synchronized void catchUp() {
        long age = clock.getTick() - tickStartNanos;
        if (age <= TICK_NANOS) {
            return;
        }
        long ticks = age / TICK_NANOS;
        long now = count.sum();
        long grown = now - countAtTick;
        countAtTick = now;
        tickStartNanos += ticks * TICK_NANOS;
        long each = grown / ticks;
        long run = Math.min(ticks, MAX_CATCH_UP);
        for (long i = 0; i < run; i++) {
            long share = i == 0 ? grown - each * (ticks - 1) : each;
            tick(m1, share);
            tick(m5, share);
            tick(m15, share);
        }
    }

    private static void tick(EWMA rate, long counted) {
        rate.update(counted);
        rate.tick();
    }
}
