package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LazyMeter} against Dropwizard's own {@link Meter}, both on one hand-driven clock. */
class LazyMeterTest {
    /** A clock that moves only when told to. */
    private static final class ManualClock extends Clock {
        private long nanos = 1_000_000_000L;

        @Override
        public long getTick() {
            return nanos;
        }

        void advance(long amount, TimeUnit unit) {
            nanos += unit.toNanos(amount);
        }
    }

    private static void assertSameRates(Meter expected, Meter actual, String when) {
        assertEquals(expected.getCount(), actual.getCount(), when + ": count");
        assertEquals(expected.getOneMinuteRate(), actual.getOneMinuteRate(), 1e-9, when + ": 1-minute rate");
        assertEquals(expected.getFiveMinuteRate(), actual.getFiveMinuteRate(), 1e-9, when + ": 5-minute rate");
        assertEquals(expected.getFifteenMinuteRate(), actual.getFifteenMinuteRate(), 1e-9, when + ": 15-minute rate");
        assertEquals(expected.getMeanRate(), actual.getMeanRate(), 1e-9, when + ": mean rate");
    }

    @Test
    void readEverySecondItsRatesAreDropwizards() {
        ManualClock clock = new ManualClock();
        Meter dropwizard = new Meter(clock);
        LazyMeter lazy = new LazyMeter(clock);
        assertSameRates(dropwizard, lazy, "before any mark");
        // a load that rises, stops, then comes back, over 20 minutes; both are read before each second's marks
        for (int second = 0; second < 1200; second++) {
            assertSameRates(dropwizard, lazy, "second " + second);
            long marks = second < 300 ? second : second < 600 ? 0 : 250;
            for (long i = 0; i < marks; i++) {
                dropwizard.mark();
                lazy.mark();
            }
            dropwizard.mark(3);
            lazy.mark(3);
            clock.advance(1, TimeUnit.SECONDS);
        }
        assertSameRates(dropwizard, lazy, "at the end");
        assertTrue(lazy.getOneMinuteRate() > 200, "a steady 253/s load shows: " + lazy.getOneMinuteRate());
    }

    @Test
    void ticksPassedUnreadShareTheirCountEvenly() {
        ManualClock clock = new ManualClock();
        LazyMeter lazy = new LazyMeter(clock);
        Meter dropwizard = new Meter(clock);
        // 100/s for a minute, and nobody reads either meter meanwhile
        for (int second = 0; second < 60; second++) {
            lazy.mark(100);
            dropwizard.mark(100);
            clock.advance(1, TimeUnit.SECONDS);
        }
        clock.advance(1, TimeUnit.MILLISECONDS);
        // 12 ticks of 500 each: every average says the steady 100/s it was
        assertEquals(100.0, lazy.getOneMinuteRate(), 1e-9);
        assertEquals(100.0, lazy.getFiveMinuteRate(), 1e-9);
        assertEquals(100.0, lazy.getFifteenMinuteRate(), 1e-9);
        assertEquals(100.0, lazy.getMeanRate(), 0.01);
        // Dropwizard's meter ticks on each mark, so it saw the same minute tick by tick
        assertEquals(dropwizard.getOneMinuteRate(), lazy.getOneMinuteRate(), 10.0);
    }

    @Test
    void aLongIdleGapDecaysTheRates() {
        ManualClock clock = new ManualClock();
        LazyMeter lazy = new LazyMeter(clock);
        Meter dropwizard = new Meter(clock);
        for (int second = 0; second < 120; second++) {
            lazy.getOneMinuteRate();
            dropwizard.getOneMinuteRate();
            lazy.mark(1000);
            dropwizard.mark(1000);
            clock.advance(1, TimeUnit.SECONDS);
        }
        double busy = lazy.getFifteenMinuteRate();
        assertTrue(busy > 900, "15-minute rate under 1000/s: " + busy);
        clock.advance(365, TimeUnit.DAYS); // 6.3 million ticks; the catch-up runs the last 2000 of them
        double idle = lazy.getFifteenMinuteRate();
        assertTrue(idle < busy * 1e-4, "after a year idle the 15-minute rate has decayed: " + idle);
        assertEquals(dropwizard.getOneMinuteRate(), lazy.getOneMinuteRate(), 1e-6);
        assertEquals(dropwizard.getMeanRate(), lazy.getMeanRate(), 1e-12);
    }

    @Test
    void marksFromManyThreadsAreAllCounted() throws InterruptedException {
        LazyMeter lazy = new LazyMeter();
        Timer timer = new Timer(lazy, new Histogram(new HdrReservoir()), Clock.defaultClock());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    timer.update(i, TimeUnit.MICROSECONDS);
                    if (i % 10_000 == 0) {
                        lazy.getOneMinuteRate();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(400_000, lazy.getCount());
        assertEquals(400_000, timer.getCount());
        assertTrue(timer.getMeanRate() > 0);
    }
}
