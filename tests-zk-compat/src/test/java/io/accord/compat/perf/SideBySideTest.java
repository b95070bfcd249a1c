package io.accord.compat.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        List<SideBySide.Run> runs = List.of(new SideBySide.Run(30, 1, 0, 0, 0, 0),
                new SideBySide.Run(10, 2, 0, 0, 0, 0), new SideBySide.Run(20, 0.5, 0, 0, 0, 0));
        assertEquals(20, SideBySide.median(runs, SideBySide.Run::opsPerSec));
        assertEquals(30, SideBySide.median(runs, SideBySide.Run::opsPerServerCore));
        assertEquals("zk-3-sync", Servers.baselineOf("accord-3-persistent"));
        assertEquals("zk-1-nosync", Servers.baselineOf("accord-1-memory"));
        assertEquals(new SideBySide.Workload("set", 1), SideBySide.Workload.parse("set@1", 100));
        assertEquals(new SideBySide.Workload("mixed", 100), SideBySide.Workload.parse("mixed", 100));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Workload.parse("put", 100));
        assertThrows(IllegalArgumentException.class, () -> Servers.check("zk-5-sync"));
    }
}
