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
 * <p>Each duty cycle runs the driver's, then the archive's, then the consensus module's. The archive is not
 * given the driver's invoker: in invoker mode it would run the driver's duty cycle three times within each of its
 * own, and every run polls each of the member's sockets, nearly always in vain (in a profile of {@code mixed} in
 * persistent mode the three runs were 29% of the members' CPU, the two after the recording 16%). The driver runs
 * a second time only when the archive did work, so that what arrived meanwhile reaches the consensus module.
 *
 * <p>How the parts reach each other while one of them waits (which would otherwise deadlock one thread): the
 * archive's and the consensus module's Aeron clients run the driver's duty cycle while they await the driver
 * ({@link Aeron.Context#driverAgentInvoker}), and the consensus module's archive client and its idle strategy run
 * the {@linkplain #transport() driver's and the archive's} while they await the archive ({@link
 * io.aeron.archive.client.AeronArchive.Context#agentInvoker}).
 *
 * <p>One {@link Guest} may join the thread after launch: the submitter, whose cluster client then uses the
 * consensus module's Aeron client and runs {@link #transport()} in its own waiting loops. A write submitted on this
 * member then goes from the submitter's queue into the ingress publication and out of the driver's socket within
 * one thread's duty cycles, instead of waking one more thread. The service container and the client sessions keep
 * their own threads and clients.
 *
 * <p>An invoker is never run by two threads at once: the driver and archive are launched (and closed) on the
 * caller's thread while the shared thread is not running, and the consensus module is built there but started
 * and closed on the shared thread, as the guest is.
 */
final class MemberConductor implements AutoCloseable {
    /**
     * An agent that runs on the member thread after the three parts, and that other threads hand work to. The
     * thread idles only when the guest agrees, and the guest wakes it when work arrives while it idles.
     */
    interface Guest extends Agent {
        /**
         * Called on the member thread when a duty cycle found no work, just before the thread idles. False when
         * the guest has work after all (the thread then goes round again at once). True when it may idle: then,
         * until {@link #awake()}, a thread that hands the guest work must unpark the member thread.
         */
        boolean mayIdle();

        /** Called on the member thread when it stops idling, after {@link #mayIdle()} returned true. */
        void awake();

        /** A duty cycle; it throws nothing checked, as it runs inside the member thread's own. */
        @Override
        int doWork();
    }

    private final MediaDriver driver;
    private final Archive archive;
    private final AgentRunner runner;
    private final Duty duty;
    private final Aeron client;

    private MemberConductor(MediaDriver driver, Archive archive, AgentRunner runner, Duty duty, Aeron client) {
        this.driver = driver;
        this.archive = archive;
        this.runner = runner;
        this.duty = duty;
        this.client = client;
    }

    /**
     * The consensus module's Aeron client, which the member thread drives ({@link
     * Aeron.Context#useConductorAgentInvoker}): for the guest only, as it must be used on that thread alone.
     */
    Aeron aeron() {
        return client;
    }

    /**
     * The driver's and the archive's duty cycles, for the guest's waiting loops on the member thread (e.g.
     * {@link io.aeron.cluster.client.AeronCluster.Context#agentInvoker}).
     */
    AgentInvoker transport() {
        return duty.transport;
    }

    /**
     * Lets the guest join the member thread: from its next duty cycle it starts the guest, then runs it after the
     * three parts each cycle, and closes it before the consensus module. One guest per member.
     */
    void host(Guest guest) {
        duty.host(guest);
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
        Aeron archiveClient = null;
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
            archiveClient = invokerClient(driver, driverInvoker, errors, "accord-archive");
            archive = Archive.launch(archiveCtx
                    .threadingMode(ArchiveThreadingMode.INVOKER)
                    .aeron(archiveClient)
                    .ownsAeronClient(true)
                    .aeronDirectoryName(driver.aeronDirectoryName()));
            archiveClient = null; // the archive owns it now
            AgentInvoker transport = new AgentInvoker(errors, null,
                    new Transport(threadName + "-transport", driverInvoker, archive.invoker()));
            transport.start();
            client = invokerClient(driver, driverInvoker, errors, "accord-consensus-module");
            if (consensusCtx.errorCounter() == null) {
                // the counter the consensus module allocates for itself when it makes its own client
                consensusCtx.errorCounter(ClusterCounters.allocateVersioned(client, new ExpandableArrayBuffer(),
                        "Cluster Errors", AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID,
                        consensusCtx.clusterId(), ConsensusModuleVersion.VERSION, ConsensusModuleVersion.GIT_SHA));
            }
            consensusCtx.archiveContext().agentInvoker(transport);
            // The module's own waiting loops (recovery, elections, snapshots) keep the archive and driver going.
            consensusCtx.idleStrategySupplier(() -> new InvokingIdleStrategy(idles.get(), transport));
            consensus = UnstartedConsensusModule.build(consensusCtx
                    .aeronDirectoryName(driver.aeronDirectoryName())
                    .aeron(client)
                    .ownsAeronClient(true));
            Aeron consensusClient = client;
            client = null; // the consensus module owns it now
            Duty duty = new Duty(threadName, transport, consensus.conductorAgentInvoker(), consensus);
            AgentRunner runner = new AgentRunner(duty.idleStrategy(idles.get()), errors, null, duty);
            AgentRunner.startOnThread(runner);
            return new MemberConductor(driver, archive, runner, duty, consensusClient);
        } catch (RuntimeException | Error e) {
            CloseHelper.quietCloseAll(consensus, client, archive, archiveClient, driver);
            throw e;
        }
    }

    /**
     * An Aeron client whose conductor the member thread runs ({@link Aeron.Context#useConductorAgentInvoker}) and
     * which runs the driver's duty cycle while it awaits the driver: what the archive and the consensus module
     * build for themselves when given no client, but on the driver's invoker.
     */
    private static Aeron invokerClient(MediaDriver driver, AgentInvoker driverInvoker, ErrorHandler errors,
                                       String name) {
        return Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(driver.aeronDirectoryName())
                .driverAgentInvoker(driverInvoker)
                .useConductorAgentInvoker(true)
                .clientLock(NoOpLock.INSTANCE)
                .awaitingIdleStrategy(YieldingIdleStrategy.INSTANCE)
                .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE)
                .errorHandler(errors)
                .clientName(name));
    }

    /**
     * Stops the thread, which closes the guest and then the consensus module as it ends (the module's archive client may be used by
     * its own thread only), then closes the archive and the driver.
     */
    @Override
    public void close() {
        CloseHelper.closeAll(runner, archive, driver);
    }

    /**
     * The driver's duty cycle, then the archive's. Should the archive's agent end (a fatal error), its invoker does
     * nothing from then on and the driver's duty cycle goes on alone, so the member's networking and its Aeron
     * clients stay alive as they would with a thread of their own.
     */
    static final class Transport implements Agent {
        private final String name;
        private final AgentInvoker driver;
        private final AgentInvoker archive;

        Transport(String name, AgentInvoker driver, AgentInvoker archive) {
            this.name = name;
            this.driver = driver;
            this.archive = archive;
        }

        @Override
        public int doWork() {
            int work = driver.invoke();
            int archived = archive.invoke();
            // A recording that did work took time (a write, an fsync in persistent mode): what arrived meanwhile
            // is received before the consensus module runs, as it was when the archive ran the driver itself.
            return archived > 0 ? work + archived + driver.invoke() : work;
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    /**
     * The duty cycles: the {@link Transport}'s (driver, then archive), then the consensus module's, then the
     * guest's. The module and the guest start and close here, on the thread that runs them.
     */
    static final class Duty implements Agent {
        private final String name;
        private final AgentInvoker transport;
        private final AutoCloseable consensusModule;
        private final AgentInvoker consensus;
        /** Set by {@link #host}, taken up by the member thread in its next duty cycle. */
        private volatile Guest arriving;
        /** The guest once started (member thread only). */
        private Guest guest;

        Duty(String name, AgentInvoker transport, AgentInvoker consensus, AutoCloseable consensusModule) {
            this.name = name;
            this.transport = transport;
            this.consensus = consensus;
            this.consensusModule = consensusModule;
        }

        /** The consensus module's start-up: recovery from snapshot and log, which waits for the service. */
        @Override
        public void onStart() {
            consensus.start();
        }

        /** A guest that arrives after the consensus module ended is never started: no cycle reaches it. */
        void host(Guest newGuest) {
            Guest current = arriving;
            if (current != null) {
                throw new IllegalStateException(name + " already hosts " + current.roleName());
            }
            arriving = newGuest;
        }

        @Override
        public int doWork() {
            int work = transport.invoke() + consensus.invoke();
            if (consensus.isClosed()) {
                // The module ended (closed with the member, or a fatal error) and closed the client the guest
                // uses: the guest goes with it, or it would fail on every cycle.
                closeGuest();
                return work;
            }
            Guest g = guest;
            if (g == null) {
                if ((g = arriving) == null) {
                    return work;
                }
                guest = g;
                g.onStart();
            }
            return work + g.doWork();
        }

        @Override
        public void onClose() {
            try {
                closeGuest();
            } finally {
                CloseHelper.close(consensusModule);
            }
        }

        /**
         * Closes the guest if it started. Called once the consensus module has ended or the thread ends, so no
         * later cycle takes up a guest that has not started.
         */
        private void closeGuest() {
            Guest g = guest;
            guest = null;
            arriving = null;
            if (g != null) {
                g.onClose();
            }
        }

        /** The thread's idle strategy: {@code idle}, unless the guest has work; the guest is woken as it asked. */
        IdleStrategy idleStrategy(IdleStrategy idle) {
            return new IdleStrategy() {
                @Override
                public void idle(int workCount) {
                    Guest g = guest;
                    if (workCount > 0 || g == null) {
                        idle.idle(workCount);
                    } else if (!g.mayIdle()) {
                        idle.reset();
                    } else {
                        try {
                            idle.idle(0);
                        } finally {
                            g.awake();
                        }
                    }
                }

                @Override
                public void idle() {
                    idle(0);
                }

                @Override
                public void reset() {
                    idle.reset();
                }

                @Override
                public String alias() {
                    return idle.alias();
                }
            };
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
