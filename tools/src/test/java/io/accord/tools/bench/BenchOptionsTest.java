package io.accord.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreTheOriginalBenchmark() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 2181)), o.servers());
        assertEquals(Workload.SET, o.workload());
        assertEquals(16, o.clients());
        assertEquals(100, o.window());
        assertEquals(8, o.valueSize());
        assertEquals(90, o.readPct());
        assertEquals(10_000, o.durationMs());
        assertEquals(2_000, o.warmupMs());
        assertEquals("/accord-bench", o.root());
        assertEquals(Math.min(16, Runtime.getRuntime().availableProcessors()), o.threads());
        assertFalse(o.keep());
        assertTrue(o.progress());
        assertFalse(o.watch());
        assertEquals(0, o.rate());
        assertFalse(o.openLoop(), "closed loop unless --rate");
    }

    @Test
    void openLoopSessionsTakeTurnsEvenly() {
        // 4 sessions sharing 400 requests/s: each sends every 10 ms, the four shifted by 2.5 ms
        long period = BenchSession.periodNanos(400, 4);
        assertEquals(10_000_000, period);
        TreeSet<Long> due = new TreeSet<>();
        for (int session = 0; session < 4; session++) {
            for (int k = 0; k < 10; k++) {
                assertTrue(due.add(BenchSession.phaseNanos(period, session, 4) + k * period), "no two at once");
            }
        }
        long previous = -1;
        for (long t : due) {
            if (previous >= 0) {
                assertEquals(2_500_000, t - previous, "evenly spaced over all sessions");
            }
            previous = t;
        }
        assertEquals(0, BenchSession.phaseNanos(0, 3, 4), "closed loop: no schedule");
        assertEquals(86_400_000_000_000L, BenchSession.periodNanos(1e-9, 1), "at most a day apart");
    }

    @Test
    void rateIsAPositiveNumberOfRequestsPerSecond() {
        BenchOptions o = BenchOptions.parse(new String[] {"--rate", "2500.5", "--clients", "64"});
        assertEquals(2500.5, o.rate());
        assertTrue(o.openLoop());
        for (String bad : List.of("0", "-5", "-0.1", "NaN", "Infinity")) {
            BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                    () -> BenchOptions.parse(new String[] {"--rate", bad}));
            assertEquals("--rate: " + bad + " (expected: a positive number of requests per second)", e.getMessage());
        }
        assertEquals("--rate: 'fast' is not a number of requests per second",
                assertThrows(BenchOptions.UsageException.class,
                        () -> BenchOptions.parse(new String[] {"--rate", "fast"})).getMessage());
        assertEquals("--rate: 3000000 is more than 1000000 requests/s per session with 2 sessions (raise --clients)",
                assertThrows(BenchOptions.UsageException.class,
                        () -> BenchOptions.parse(new String[] {"--rate", "3e6", "--clients", "2"})).getMessage());
        assertEquals(3e6, BenchOptions.parse(new String[] {"--rate", "3e6", "--clients", "3"}).rate());
    }

    @Test
    void connectStringsAsZooKeeperWritesThem() {
        assertEquals(List.of(InetSocketAddress.createUnresolved("a", 2181),
                        InetSocketAddress.createUnresolved("b", 2182),
                        InetSocketAddress.createUnresolved("::1", 2183)),
                BenchOptions.servers("a, b:2182,[::1]:2183"));
        BenchOptions.UsageException chroot = assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.servers("a:2181/app"));
        assertTrue(chroot.getMessage().contains("chroot"), chroot.getMessage());
        assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.servers("a:2181,"));
        assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.servers(":2181"));
        assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.servers("[::1"));
    }

    @Test
    void fractionalSecondsAndFewerLoopsThanSessions() {
        BenchOptions o = BenchOptions.parse(new String[] {"--duration", "1.5", "--warmup", "0", "--clients", "1",
            "--threads", "4", "--workload", "mixed", "--read-pct", "0", "--window", "1", "--keep", "--quiet",
            "--watch"});
        assertEquals(1_500, o.durationMs());
        assertEquals(0, o.warmupMs());
        assertEquals(1, o.threads(), "never more event loops than sessions");
        assertEquals(Workload.MIXED, o.workload());
        assertEquals(0, o.readPct());
        assertTrue(o.keep());
        assertFalse(o.progress());
        assertTrue(o.watch());
    }

    @Test
    void messagesQuoteTheBadValue() {
        assertEquals("--clients: 0 (expected: 1..10000)",
                assertThrows(BenchOptions.UsageException.class,
                        () -> BenchOptions.parse(new String[] {"--clients", "0"})).getMessage());
        assertEquals("--read-pct: 101 (expected: 0..100)",
                assertThrows(BenchOptions.UsageException.class,
                        () -> BenchOptions.parse(new String[] {"--read-pct", "101"})).getMessage());
        assertEquals("--duration: 0 (expected: 0.1..86400 seconds)",
                assertThrows(BenchOptions.UsageException.class,
                        () -> BenchOptions.parse(new String[] {"--duration", "0"})).getMessage());
    }
}
