package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HdrReservoirTest {
    private static void assertWithinOnePercent(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.01, "expected " + expected + " within 1%, got " + actual);
    }

    @Test
    void anEmptyReservoirReportsZeros() {
        Snapshot s = new HdrReservoir().getSnapshot();
        assertEquals(0, s.size());
        assertEquals(0, s.getMin());
        assertEquals(0, s.getMax());
        assertEquals(0.0, s.getMean());
        assertEquals(0.0, s.getMedian());
        assertEquals(0.0, s.get999thPercentile());
        assertArrayEquals(new long[0], s.getValues());
    }

    @Test
    void quantilesMinMaxAndMeanOfEveryValueSinceStartTo1Percent() {
        HdrReservoir r = new HdrReservoir();
        for (int i = 1; i <= 10_000; i++) {
            r.update(i * 1_000L); // 1 us .. 10 ms
        }
        Snapshot first = r.getSnapshot();
        assertEquals(10_000, first.size());
        assertWithinOnePercent(5_000_000, first.getMedian());
        assertWithinOnePercent(9_900_000, first.get99thPercentile());
        assertWithinOnePercent(1_000, first.getMin());
        assertWithinOnePercent(10_000_000, first.getMax());
        assertWithinOnePercent(5_000_500, first.getMean());
        // values recorded after a snapshot add to it: the reservoir keeps everything since start
        for (int i = 0; i < 10_000; i++) {
            r.update(20_000_000L);
        }
        r.update(-5); // counted as 0
        Snapshot second = r.getSnapshot();
        assertEquals(20_001, second.size());
        assertEquals(20_001, r.size());
        assertEquals(0, second.getMin());
        assertWithinOnePercent(20_000_000, second.get75thPercentile());
        assertWithinOnePercent(10_000_000, first.getMax()); // a snapshot does not change afterwards
        long[] values = second.getValues();
        for (int i = 1; i < values.length; i++) {
            assertTrue(values[i] > values[i - 1], "distinct and ascending");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        second.dump(out);
        assertEquals(values.length, out.toString(StandardCharsets.UTF_8).lines().count());
        assertThrows(IllegalArgumentException.class, () -> second.getValue(1.5));
    }

    @Test
    void aResetStartsTheSummaryAgainButNotTheRegistrysView() {
        HdrReservoir r = new HdrReservoir();
        for (int i = 1; i <= 100; i++) {
            r.update(i * 1_000_000L); // 1..100 ms
        }
        r.reset();
        Snapshot empty = r.snapshotSinceReset();
        assertEquals(0, empty.size());
        assertEquals(0, empty.getMax());
        r.update(5_000_000L);
        r.update(7_000_000L);
        Snapshot since = r.snapshotSinceReset();
        assertEquals(2, since.size());
        assertWithinOnePercent(5_000_000, since.getMin());
        assertWithinOnePercent(7_000_000, since.getMax());
        Snapshot all = r.getSnapshot();
        assertEquals(102, all.size());
        assertWithinOnePercent(100_000_000, all.getMax());
    }

    @Test
    void recordsFromManyThreadsAtOnceAreAllCounted() throws Exception {
        Timer timer = new Timer(new HdrReservoir());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    timer.update(i % 1000 + 1, TimeUnit.MICROSECONDS);
                    if (i % 10_000 == 0) {
                        timer.getSnapshot();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(200_000, timer.getCount());
        assertEquals(200_000, timer.getSnapshot().size());
        assertWithinOnePercent(1_000_000, timer.getSnapshot().getMax());
    }
}
