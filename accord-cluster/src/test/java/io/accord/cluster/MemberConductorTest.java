package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentTerminationException;
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
            return 1;
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
    private final AgentInvoker consensusInvoker = new AgentInvoker(errors::add, null, consensus);
    private final AtomicBoolean moduleClosed = new AtomicBoolean();
    /** As Aeron's archive in invoker mode: its duty cycle runs the driver's first. */
    private final AgentInvoker archiveInvoker = new AgentInvoker(errors::add, null, new Agent() {
        @Override
        public int doWork() {
            return driverInvoker.invoke() + archive.doWork();
        }

        @Override
        public String roleName() {
            return "archive";
        }
    });
    private final MemberConductor.Duty duty = new MemberConductor.Duty("accord-member-1", driverInvoker,
            archiveInvoker, consensusInvoker, () -> moduleClosed.set(true));

    @Test
    void eachCycleRunsTheArchiveWithTheDriverThenTheConsensusModule() {
        driverInvoker.start();
        archiveInvoker.start();
        duty.onStart();
        assertTrue(consensus.started, "the consensus module starts on the shared thread");
        for (int i = 0; i < 5; i++) {
            assertEquals(3, duty.doWork());
        }
        assertEquals(5, driver.cycles, "the driver runs once per cycle, within the archive's");
        assertEquals(5, archive.cycles);
        assertEquals(5, consensus.cycles);
        duty.onClose();
        assertTrue(moduleClosed.get(), "the consensus module closes on the shared thread");
        assertEquals(List.of(), errors);
    }

    @Test
    void whenTheArchiveEndsTheDriverKeepsRunning() {
        driverInvoker.start();
        archiveInvoker.start();
        duty.onStart();
        duty.doWork();
        archive.terminate = true;
        duty.doWork(); // the archive's agent ends in this cycle (after running the driver once more)
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
}
