package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

/**
 * The shared thread's duty cycle ({@link MemberConductor.Duty}) over Agrona's real invokers; the Aeron parts
 * themselves run in the cluster tests (every one of them uses the shared thread by default).
 */
class MemberConductorTest {
    /** An agent that counts its duty cycles and may be told to end. */
    private static final class Counting implements Agent {
        final String name;
        int cycles;
        boolean started;
        boolean closed;
        boolean terminate;
        /** What each duty cycle returns. */
        int work = 1;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public void onStart() {
            started = true;
        }

        @Override
        public int doWork() {
            if (terminate) {
                throw new AgentTerminationException(name + " ends");
            }
            cycles++;
            return work;
        }

        @Override
        public void onClose() {
            closed = true;
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    private final List<Throwable> errors = new ArrayList<>();
    private final Counting driver = new Counting("driver");
    private final Counting archive = new Counting("archive");
    private final Counting consensus = new Counting("consensus");
    private final AgentInvoker driverInvoker = new AgentInvoker(errors::add, null, driver);
    private final AgentInvoker archiveInvoker = new AgentInvoker(errors::add, null, archive);
    private final AgentInvoker consensusInvoker = new AgentInvoker(errors::add, null, consensus);
    private final AgentInvoker transport = new AgentInvoker(errors::add, null,
            new MemberConductor.Transport("accord-member-1-transport", driverInvoker, archiveInvoker));
    private final AtomicBoolean moduleClosed = new AtomicBoolean();
    private final MemberConductor.Duty duty = new MemberConductor.Duty("accord-member-1", transport,
            consensusInvoker, () -> moduleClosed.set(true));

    private void startParts() {
        driverInvoker.start();
        archiveInvoker.start();
        transport.start();
    }

    @Test
    void eachCycleRunsTheDriverThenTheArchiveThenTheConsensusModule() {
        startParts();
        duty.onStart();
        assertTrue(consensus.started, "the consensus module starts on the shared thread");
        archive.work = 0;
        for (int i = 0; i < 5; i++) {
            assertEquals(2, duty.doWork());
        }
        assertEquals(5, driver.cycles, "the driver runs once per cycle while the archive has nothing to do");
        archive.work = 1;
        assertEquals(4, duty.doWork());
        assertEquals(7, driver.cycles, "and again after the archive did work, before the consensus module");
        assertEquals(6, archive.cycles);
        assertEquals(6, consensus.cycles);
        duty.onClose();
        assertTrue(moduleClosed.get(), "the consensus module closes on the shared thread");
        assertEquals(List.of(), errors);
    }

    @Test
    void whenTheArchiveEndsTheDriverKeepsRunning() {
        startParts();
        duty.onStart();
        duty.doWork();
        archive.terminate = true;
        duty.doWork(); // the archive's agent ends in this cycle, after the driver's ran once
        assertTrue(archiveInvoker.isClosed());
        assertEquals(1, archive.cycles);
        int driverCycles = driver.cycles;
        for (int i = 0; i < 4; i++) {
            assertEquals(2, duty.doWork(), "driver and consensus module still work");
        }
        assertEquals(driverCycles + 4, driver.cycles);
        assertEquals(6, consensus.cycles);
        assertFalse(driverInvoker.isClosed());
    }

    /** A guest that records, in one list with the consensus module's close, what the member thread did to it. */
    private final List<String> events = new ArrayList<>();

    private final class RecordingGuest implements MemberConductor.Guest {
        boolean hasWork;

        @Override
        public boolean mayIdle() {
            events.add("mayIdle");
            return !hasWork;
        }

        @Override
        public void awake() {
            events.add("awake");
        }

        @Override
        public void onStart() {
            events.add("start");
        }

        @Override
        public int doWork() {
            events.add("work after consensus cycle " + consensus.cycles);
            return hasWork ? 1 : 0;
        }

        @Override
        public void onClose() {
            events.add("close");
        }

        @Override
        public String roleName() {
            return "guest";
        }
    }

    /** An idle strategy that records its calls into {@link #events}. */
    private final IdleStrategy recordingIdle = new IdleStrategy() {
        @Override
        public void idle(int workCount) {
            events.add("idle(" + workCount + ")");
        }

        @Override
        public void idle() {
            events.add("idle()");
        }

        @Override
        public void reset() {
            events.add("reset");
        }
    };

    @Test
    void aGuestStartsInTheNextCycleRunsAfterTheConsensusModuleAndClosesBeforeIt() {
        MemberConductor.Duty closing = new MemberConductor.Duty("accord-member-1", transport, consensusInvoker,
                () -> events.add("consensus module closed"));
        startParts();
        closing.onStart();
        assertEquals(4, closing.doWork(), "no guest yet");
        closing.host(new RecordingGuest());
        assertEquals(List.of(), events, "the guest starts on the member thread, not on the caller's");
        closing.doWork();
        closing.doWork();
        assertEquals(List.of("start", "work after consensus cycle 2", "work after consensus cycle 3"), events);
        assertThrows(IllegalStateException.class, () -> closing.host(new RecordingGuest()), "one guest only");
        events.clear();
        closing.onClose();
        assertEquals(List.of("close", "consensus module closed"), events);
    }

    @Test
    void theThreadIdlesOnlyWhenTheGuestAgreesAndWakesItAfterwards() {
        RecordingGuest guest = new RecordingGuest();
        IdleStrategy idle = duty.idleStrategy(recordingIdle);
        idle.idle(0);
        assertEquals(List.of("idle(0)"), events, "without a guest the thread idles as before");
        startParts();
        duty.onStart();
        duty.host(guest);
        duty.doWork();
        events.clear();

        idle.idle(2);
        assertEquals(List.of("idle(2)"), events, "a cycle with work does not ask the guest");
        events.clear();
        idle.idle(0);
        assertEquals(List.of("mayIdle", "idle(0)", "awake"), events, "the guest is woken after the idle");
        events.clear();
        guest.hasWork = true;
        idle.idle(0);
        assertEquals(List.of("mayIdle", "reset"), events, "work that came in meanwhile: round again at once");
    }

    @Test
    void whenTheConsensusModuleEndsTheGuestIsClosedAndNoneStartsAgain() {
        startParts();
        consensusInvoker.start();
        duty.host(new RecordingGuest());
        duty.doWork();
        consensus.terminate = true;
        duty.doWork(); // the module's agent ends in this cycle, closing the Aeron client the guest uses
        assertTrue(consensusInvoker.isClosed());
        assertEquals(List.of("start", "work after consensus cycle 1", "close"), events);
        duty.host(new RecordingGuest());
        for (int i = 0; i < 3; i++) {
            assertEquals(3, duty.doWork(), "the driver (twice, as the archive worked) and the archive go on");
        }
        duty.onClose();
        assertEquals(List.of("start", "work after consensus cycle 1", "close"), events,
                "neither the closed guest nor a later one runs or closes again");
        assertTrue(moduleClosed.get());
    }
}
