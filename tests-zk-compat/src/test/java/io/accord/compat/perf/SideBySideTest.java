package io.accord.compat.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The side-by-side harness's parsing and arithmetic (the harness itself runs only under -Pperf). */
class SideBySideTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommandName() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 269 0 0 20 0 40 0 123 0 0";
        assertEquals(1000, Jvm.parseCpuTicks(stat));
    }

    @Test
    void ownCpuIsReadFromProc() {
        double cpu = Jvm.cpuSeconds(ProcessHandle.current().pid());
        assertTrue(cpu > 0, "this JVM has used CPU: " + cpu);
    }

    @Test
    void resultLineParsesAsKeyValues() {
        Map<String, String> r = SideBySide.parseResult("RESULT workload=set clients=16 window=100 ops=10 "
                + "ops_per_sec=5.0 p50_ms=1.000 p90_ms=2.000 p99_ms=3.000 p999_ms=4.000 max_ms=5.000 errors=0");
        assertEquals("5.0", r.get("ops_per_sec"));
        assertEquals("3.000", r.get("p99_ms"));
        assertEquals("0", r.get("errors"));
    }

    @Test
    void mediansAndBaselines() {
        List<SideBySide.Run> runs = List.of(closed(30, 1), closed(10, 2), closed(20, 0.5));
        assertEquals(20, SideBySide.median(runs, SideBySide.Run::opsPerSec));
        assertEquals(30, SideBySide.median(runs, SideBySide.Run::opsPerServerCore));
        assertEquals("zk-3-sync", Servers.baselineOf("accord-3-persistent"));
        assertEquals("zk-1-nosync", Servers.baselineOf("accord-1-memory"));
        assertEquals(new SideBySide.Workload("set", 1), SideBySide.Workload.parse("set@1", 100));
        assertEquals(new SideBySide.Workload("mixed", 100), SideBySide.Workload.parse("mixed", 100));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Workload.parse("put", 100));
        assertThrows(IllegalArgumentException.class, () -> Servers.check("zk-5-sync"));
    }

    private static SideBySide.Run closed(double opsPerSec, double serverCores) {
        return new SideBySide.Run(opsPerSec, serverCores, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static SideBySide.Run open(double target, double p99Ms, long late) {
        return new SideBySide.Run(target, 0.5, 0.1, 1, p99Ms, 2 * p99Ms, 0, target, target, late);
    }

    @Test
    void workloadsWithARate() {
        SideBySide.Workload half = SideBySide.Workload.parse("set@1@half", 100);
        assertEquals(new SideBySide.Workload("set", 1, "half"), half);
        assertTrue(half.openLoop() && half.halfPeak());
        assertEquals("set w=1 @half", half.label());
        SideBySide.Workload fixed = SideBySide.Workload.parse("get@4@2500", 100);
        assertTrue(fixed.openLoop() && !fixed.halfPeak());
        assertEquals("get w=4 @2500/s", fixed.label());
        assertFalse(SideBySide.Workload.parse("set@1", 100).openLoop());
        for (String bad : List.of("set@1@", "set@1@0", "set@1@-3", "set@1@fast", "set@0", "set@x", "set@1@half@2",
                "set@@half")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SideBySide.Workload.parse(bad, 100), bad);
            assertTrue(e.getMessage().startsWith("perf.workloads: '" + bad + "' (expected NAME[@WINDOW[@RATE]]"),
                    e.getMessage());
        }
    }

    @Test
    void halfOfThePeakComesFromTheFirstZooKeeperConfigurationWhichRunsFirst() {
        SideBySide.Workload half = new SideBySide.Workload("set", 1, "half");
        SideBySide.Workload set1 = new SideBySide.Workload("set", 1);
        SideBySide.Settings settings = new SideBySide.Settings(List.of("accord-1-persistent", "zk-1-sync",
                "zk-1-nosync"), List.of(set1, half), 2, 1, 0, 16, 64);
        assertEquals(List.of("zk-1-sync", "accord-1-persistent", "zk-1-nosync"), settings.configs());
        assertEquals("zk-1-sync", settings.peakConfig());
        SideBySide harness = new SideBySide(settings, "", System.out);
        assertEquals(List.of(set1, SideBySide.PEAK, half), harness.measuredOrder("zk-1-sync"),
                "the peak is measured before the first half workload");
        assertEquals(List.of(set1, half), harness.measuredOrder("accord-1-persistent"));
        assertTrue(Double.isNaN(harness.rate(half, 1)), "no peak yet");

        harness.keep(1, "zk-1-sync", SideBySide.PEAK, closed(30_000, 1));
        harness.keep(1, "zk-1-nosync", SideBySide.PEAK, closed(50_000, 1));
        assertEquals(15_000, harness.rate(half, 1), "half of the peak config's set w=100, not another config's");
        assertTrue(Double.isNaN(harness.rate(half, 2)), "each round has its own peak");
        assertEquals(2500, harness.rate(new SideBySide.Workload("set", 1, "2500"), 2));

        harness.keep(1, "zk-1-sync", half, open(15_000, 4, 7));
        harness.keep(1, "accord-1-persistent", half, open(15_000, 2, 1));
        String table = harness.table();
        assertTrue(table.contains("half = half of the peak set w=100 ops/s (16 sessions) on zk-1-sync: round 1 30000"),
                table);
        assertTrue(table.matches("(?s).*\\| set w=1 @half +\\| accord-1-persistent +\\| +1 \\| +15000 \\| +15000 "
                + "\\| +0\\.50 \\| +1\\.000 \\| +2\\.000 \\| +4\\.000 \\| +1 \\| +0\\.50x \\|.*"), table);

        SideBySide.Settings listed = new SideBySide.Settings(List.of("zk-1-sync", "accord-1-memory"),
                List.of(half, SideBySide.PEAK), 1, 1, 0, 16, 64);
        assertEquals(List.of(SideBySide.PEAK, half), new SideBySide(listed, "", System.out).measuredOrder("zk-1-sync"),
                "a listed set w=100 is reused, moved before the half workload");
        IllegalArgumentException noZk = assertThrows(IllegalArgumentException.class, () -> new SideBySide.Settings(
                List.of("accord-1-memory"), List.of(half), 1, 1, 0, 16, 64));
        assertTrue(noZk.getMessage().contains("needs a ZooKeeper configuration"), noZk.getMessage());
    }

    @Test
    void openLoopResultKeysParse() {
        Map<String, String> r = SideBySide.parseResult("RESULT workload=set clients=64 window=1 ops=10 "
                + "ops_per_sec=5.0 p50_ms=1.000 p90_ms=2.000 p99_ms=3.000 p999_ms=4.000 max_ms=5.000 errors=0 "
                + "rate_target=500.0 rate_achieved=499.5 sent_late=3");
        assertEquals("500.0", r.get("rate_target"));
        assertEquals("499.5", r.get("rate_achieved"));
        assertEquals("3", r.get("sent_late"));
    }
}
