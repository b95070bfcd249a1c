package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LowCpuIdleStrategyTest {
    private static final long MIN = 1_000;
    private static final long MAX = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long DEEP_AFTER = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long DEEP_MAX = TimeUnit.MICROSECONDS.toNanos(400);

    /** Idles until the next park would be {@code park}; fails after 2 s. */
    private static void idleUntil(LowCpuIdleStrategy s, long park) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (s.currentParkNs() != park) {
            assertTrue(s.currentParkNs() <= park, "parks went past " + park + ": " + s.currentParkNs());
            assertTrue(System.nanoTime() < deadline, "no park of " + park + " ns within 2 s: " + s.currentParkNs());
            s.idle(0);
        }
    }

    @Test
    void backsOffToMaxParkThenAfterTheIdlePeriodToTheDeepParkAndWorkResetsIt() {
        LowCpuIdleStrategy s = new LowCpuIdleStrategy(2, 2, MIN, MAX, DEEP_AFTER, DEEP_MAX);
        long t0 = System.nanoTime(); // before the first park
        for (int i = 0; i < 4; i++) {
            s.idle(0); // spins and yields: no park yet
            assertEquals(0, s.currentParkNs());
        }
        s.idle(0);
        assertEquals(2 * MIN, s.currentParkNs(), "the first park was minParkNs, the next doubles");
        // Parks double up to MAX; only once DEEP_AFTER has passed (a loaded box can stretch the ramp that long) may
        // they go on past it.
        while (s.currentParkNs() < MAX) {
            s.idle(0);
        }
        assertTrue(s.currentParkNs() == MAX || System.nanoTime() - t0 >= DEEP_AFTER,
                "past maxParkNs before deepAfterNs: " + s.currentParkNs());
        s.idle(0);
        s.idle(0);
        assertTrue(System.nanoTime() - t0 >= DEEP_AFTER || s.currentParkNs() == MAX,
                "parks stay at maxParkNs during the first deepAfterNs");
        idleUntil(s, DEEP_MAX);
        assertTrue(System.nanoTime() - t0 >= DEEP_AFTER, "deep parks only after deepAfterNs");
        s.idle(1);
        s.idle(0);
        s.reset();
        assertEquals(0, s.currentParkNs(), "work, then reset: back to spinning");
        for (int i = 0; i < 5; i++) {
            s.idle(0);
        }
        assertEquals(2 * MIN, s.currentParkNs(), "after a reset it ramps from minParkNs again");
    }

    @Test
    void isolatedWorkInADeepSpellResumesAtMaxParkAndABurstEndsTheSpell() {
        LowCpuIdleStrategy s = new LowCpuIdleStrategy(2, 2, MIN, MAX, DEEP_AFTER, DEEP_MAX);
        idleUntil(s, DEEP_MAX);
        s.idle(1); // housekeeping long after the previous work
        s.idle(0);
        assertEquals(2 * MAX, s.currentParkNs(), "no spins or yields, parks resume at maxParkNs");
        s.idle(1);
        s.idle(1); // work again at once (within 1.5 x maxParkNs): traffic
        for (int i = 0; i < 5; i++) {
            s.idle(0);
        }
        assertEquals(2 * MIN, s.currentParkNs(), "a burst ends the deep spell: spins, yields, minParkNs");
    }

    @Test
    void rejectsInconsistentSettingsAndIsNamedByItsAlias() {
        assertThrows(IllegalArgumentException.class, () -> new LowCpuIdleStrategy(1, 1, MAX, MIN, 0, DEEP_MAX));
        assertThrows(IllegalArgumentException.class, () -> new LowCpuIdleStrategy(1, 1, MIN, MAX, 0, MIN));
        assertEquals("low-cpu", new LowCpuIdleStrategy().alias());
        assertTrue(AeronReplicationPort.Configuration.idleStrategyNamed("low-cpu").get()
                instanceof LowCpuIdleStrategy);
        assertEquals("backoff", AeronReplicationPort.Configuration.idleStrategyNamed("backoff").get().alias());
        assertEquals("sleep-ms", AeronReplicationPort.Configuration.idleStrategyNamed("sleep-2ms").get().alias());
        assertThrows(IllegalArgumentException.class,
                () -> AeronReplicationPort.Configuration.idleStrategyNamed("busy-spin"));
    }
}
