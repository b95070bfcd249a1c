package io.accord.cluster;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.RethrowingErrorHandler;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ConsensusModuleVersion;
import io.aeron.cluster.UnstartedConsensusModule;
import io.aeron.cluster.service.ClusterCounters;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import java.util.function.Supplier;

/**
 * A member's media driver, archive and consensus module run by one thread: each in Aeron's invoker mode, their
 * duty cycles called one after the other by a single {@link AgentRunner}.
 *
 * <p>Why: run as three agents, every log entry passes between them through shared memory and wakes each from its
 * idle strategy: the driver receives it, the archive records it, the consensus module sees the position move and
 * the driver sends the next message, on three threads that each spin, yield and park on their own. On one thread
 * a duty cycle carries an entry from the socket through the recording to the consensus module's answer, and
 * three idle loops become one.
 *
 * <p>How the parts reach each other while one of them waits (which would otherwise deadlock one thread): the
 * consensus module's Aeron client and the archive's run the driver's duty cycle while they await the driver
 * ({@link Aeron.Context#driverAgentInvoker}), and the consensus module's archive client runs the archive's while it
 * awaits the archive ({@link io.aeron.archive.client.AeronArchive.Context#agentInvoker}). The service container,
 * the submitter and the client sessions keep their own threads and clients.
 *
 * <p>An invoker is never run by two threads at once: the driver and archive are launched (and closed) on the
 * caller's thread while the shared thread is not running, and the consensus module is built there but started
 * and closed on the shared thread.
 */
final class MemberConductor implements AutoCloseable {
    private final MediaDriver driver;
    private final Archive archive;
    private final AgentRunner runner;

    private MemberConductor(MediaDriver driver, Archive archive, AgentRunner runner) {
        this.driver = driver;
        this.archive = archive;
        this.runner = runner;
    }

    /**
     * Launches the three parts from their contexts (threading modes are set here) and starts the thread that runs
     * them; on failure everything launched so far is closed again. Returns once the consensus module's context is
     * concluded (a bad one fails here); the module starts on the new thread, where its recovery waits for the
     * service container.
     */
    static MemberConductor launch(MediaDriver.Context driverCtx, Archive.Context archiveCtx,
                                  ConsensusModule.Context consensusCtx, Supplier<IdleStrategy> idles,
                                  ErrorHandler errors, String threadName) {
        MediaDriver driver = null;
        Archive archive = null;
        Aeron client = null;
        ConsensusModule consensus = null;
        try {
            driver = MediaDriver.launch(driverCtx.threadingMode(ThreadingMode.INVOKER));
            AgentInvoker driverInvoker = driver.sharedAgentInvoker();
            if (archiveCtx.errorCounter() == null) {
                archiveCtx.errorCounter(new AtomicCounter(driverCtx.countersValuesBuffer(),
                        SystemCounterDescriptor.ERRORS.id()));
            }
            // In invoker mode the archive runs the driver's duty cycle within its own.
            archive = Archive.launch(archiveCtx
                    .threadingMode(ArchiveThreadingMode.INVOKER)
                    .mediaDriverAgentInvoker(driverInvoker)
                    .aeronDirectoryName(driver.aeronDirectoryName()));
            AgentInvoker archiveInvoker = archive.invoker();
            // What the consensus module builds for itself when given no client, plus the driver's duty cycle.
            client = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .driverAgentInvoker(driverInvoker)
                    .useConductorAgentInvoker(true)
                    .clientLock(NoOpLock.INSTANCE)
                    .awaitingIdleStrategy(YieldingIdleStrategy.INSTANCE)
                    .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE)
                    .errorHandler(errors)
                    .clientName("accord-consensus-module"));
            if (consensusCtx.errorCounter() == null) {
                // the counter the consensus module allocates for itself when it makes its own client
                consensusCtx.errorCounter(ClusterCounters.allocateVersioned(client, new ExpandableArrayBuffer(),
                        "Cluster Errors", AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID,
                        consensusCtx.clusterId(), ConsensusModuleVersion.VERSION, ConsensusModuleVersion.GIT_SHA));
            }
            consensusCtx.archiveContext().agentInvoker(archiveInvoker);
            // The module's own waiting loops (recovery, elections, snapshots) keep the archive and driver going.
            consensusCtx.idleStrategySupplier(() -> new InvokingIdleStrategy(idles.get(), archiveInvoker));
            consensus = UnstartedConsensusModule.build(consensusCtx
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .aeron(client)
                    .ownsAeronClient(true));
            client = null; // the consensus module owns it now
            AgentRunner runner = new AgentRunner(idles.get(), errors, null,
                    new Duty(threadName, driverInvoker, archiveInvoker, consensus.conductorAgentInvoker(),
                            consensus));
            AgentRunner.startOnThread(runner);
            return new MemberConductor(driver, archive, runner);
        } catch (RuntimeException | Error e) {
            CloseHelper.quietCloseAll(consensus, client, archive, driver);
            throw e;
        }
    }

    /**
     * Stops the thread, which closes the consensus module as it ends (the module's archive client may be used by
     * its own thread only), then closes the archive and the driver.
     */
    @Override
    public void close() {
        CloseHelper.closeAll(runner, archive, driver);
    }

    /**
     * The duty cycles: the archive's (which runs the driver's first), then the consensus module's. The module
     * starts and closes here, on the thread that runs it. Should the archive's agent end (a fatal error), the
     * driver's duty cycle goes on without it, so the member's networking and its Aeron clients stay alive as
     * they would with a thread of their own.
     */
    static final class Duty implements Agent {
        private final String name;
        private final AgentInvoker driver;
        private final AgentInvoker archive;
        private final AutoCloseable consensusModule;
        private final AgentInvoker consensus;

        Duty(String name, AgentInvoker driver, AgentInvoker archive, AgentInvoker consensus,
             AutoCloseable consensusModule) {
            this.name = name;
            this.driver = driver;
            this.archive = archive;
            this.consensus = consensus;
            this.consensusModule = consensusModule;
        }

        /** The consensus module's start-up: recovery from snapshot and log, which waits for the service. */
        @Override
        public void onStart() {
            consensus.start();
        }

        @Override
        public int doWork() {
            int work = archive.isClosed() ? driver.invoke() : archive.invoke();
            return work + consensus.invoke();
        }

        @Override
        public void onClose() {
            CloseHelper.close(consensusModule);
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    /** An idle strategy that first runs other agents' duty cycles: for a waiting loop on a shared thread. */
    private static final class InvokingIdleStrategy implements IdleStrategy {
        private final IdleStrategy delegate;
        private final AgentInvoker invoker;

        InvokingIdleStrategy(IdleStrategy delegate, AgentInvoker invoker) {
            this.delegate = delegate;
            this.invoker = invoker;
        }

        @Override
        public void idle(int workCount) {
            delegate.idle(workCount + invoker.invoke());
        }

        @Override
        public void idle() {
            if (invoker.invoke() == 0) {
                delegate.idle();
            }
        }

        @Override
        public void reset() {
            delegate.reset();
        }

        @Override
        public String alias() {
            return delegate.alias();
        }
    }
}
