package io.accord.cluster;

import io.aeron.Aeron;
import io.aeron.RethrowingErrorHandler;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.ClusterEvent;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronEvent;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and launches one Aeron Cluster member from an {@link AeronReplicationPort.Context}: media driver,
 * archive and consensus module (on one thread, {@link MemberConductor}, or on their own, {@link
 * ClusteredMediaDriver}), then the service container, wired as AERON.md section 3 measured. Every Aeron context
 * is configured in code (no system properties), so several members can share one JVM.
 */
final class MemberLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(MemberLauncher.class);
    private static final String LOCAL_CONTROL_CHANNEL = "aeron:ipc?term-length=64k";

    private MemberLauncher() {
    }

    /** Aeron's warnings (elections, expected WARNs on shutdown) are events, not errors. */
    static ErrorHandler errorHandler(int nodeId) {
        return errorHandler(nodeId, t -> { });
    }

    /** As {@link #errorHandler(int)}, also showing every error to {@code observer} (which must not throw). */
    static ErrorHandler errorHandler(int nodeId, java.util.function.Consumer<Throwable> observer) {
        return t -> {
            observer.accept(t);
            if (t instanceof ClusterEvent || t instanceof AeronEvent) {
                LOG.warn("member {}: {}", nodeId, t.getMessage());
            } else {
                LOG.error("member {}: Aeron error", nodeId, t);
            }
        };
    }

    static AutoCloseable launchDriver(AeronReplicationPort.Context ctx, MemberDirs dirs, ErrorHandler errors) {
        int id = ctx.nodeId();
        Member self = ctx.self();
        boolean sync = ctx.storageMode() == StorageMode.PERSISTENT;
        Archive.Context archive = archiveContext(ctx, dirs, errors);
        ConsensusModule.Context consensus = new ConsensusModule.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .clusterMemberId(id)
                .clusterMembers(Member.clusterMembersString(ctx.members()))
                .clusterDir(dirs.clusterDir.toFile())
                .archiveContext(localArchiveClient(ctx, archive))
                .serviceCount(1)
                .ingressChannel("aeron:udp?term-length=" + ctx.ingressTermLength() + "|mtu=" + ctx.mtu())
                .logChannel("aeron:udp?term-length=" + ctx.logTermLength() + "|mtu=" + ctx.mtu())
                .replicationChannel("aeron:udp?endpoint=" + hostOf(self) + ":0")
                .idleStrategySupplier(ctx.idleStrategySupplier())
                .leaderHeartbeatTimeoutNs(ctx.leaderHeartbeatTimeoutNs())
                .leaderHeartbeatIntervalNs(ctx.leaderHeartbeatIntervalNs())
                .electionTimeoutNs(ctx.electionTimeoutNs())
                .startupCanvassTimeoutNs(ctx.startupCanvassTimeoutNs())
                .sessionTimeoutNs(ctx.sessionTimeoutNs())
                .maxConcurrentSessions(ctx.maxConcurrentSessions())
                .fileSyncLevel(sync ? 1 : 0)
                .deleteDirOnStart(false)
                .errorHandler(errors);
        byte[] secret = ctx.clusterSecret();
        if (secret != null) {
            consensus.authenticatorSupplier(() -> new IngressAuthenticator(secret));
        }
        if (ctx.sharedThread()) {
            return MemberConductor.launch(driverContext(ctx, errors), archive, consensus,
                    ctx.idleStrategySupplier(), errors, "accord-member-" + id);
        }
        return ClusteredMediaDriver.launch(driverContext(ctx, errors), archive, consensus);
    }

    /** The media driver and archive alone (no consensus module), for {@link SnapshotSeed}. */
    static ArchivingMediaDriver launchArchivingDriver(AeronReplicationPort.Context ctx, MemberDirs dirs,
                                                      ErrorHandler errors) {
        return ArchivingMediaDriver.launch(driverContext(ctx, errors), archiveContext(ctx, dirs, errors));
    }

    static MediaDriver.Context driverContext(AeronReplicationPort.Context ctx, ErrorHandler errors) {
        MediaDriver.Context driver = new MediaDriver.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(ctx.idleStrategySupplier().get())
                // Endpoint resolution only (IP literals here): up to 50 ms late is nothing, 100 wake-ups/s are not.
                .asyncExecutorIdleStrategy(new LowCpuIdleStrategy(LowCpuIdleStrategy.DEFAULT_MAX_SPINS,
                        LowCpuIdleStrategy.DEFAULT_MAX_YIELDS, LowCpuIdleStrategy.DEFAULT_MIN_PARK_NS,
                        LowCpuIdleStrategy.DEFAULT_MAX_PARK_NS, LowCpuIdleStrategy.DEFAULT_DEEP_AFTER_NS,
                        TimeUnit.MILLISECONDS.toNanos(50)))
                .termBufferSparseFile(true)
                .publicationTermBufferLength(ctx.logTermLength())
                .ipcTermBufferLength(ctx.ipcTermLength())
                .counterValuesBufferLength(ctx.countersBufferLength())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .errorHandler(errors);
        if (ctx.driverTimerIntervalNs() > 0) {
            driver.timerIntervalNs(ctx.driverTimerIntervalNs());
        }
        return driver;
    }

    static Archive.Context archiveContext(AeronReplicationPort.Context ctx, MemberDirs dirs, ErrorHandler errors) {
        Member self = ctx.self();
        boolean sync = ctx.storageMode() == StorageMode.PERSISTENT;
        return new Archive.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .archiveDir(dirs.archiveDir.toFile())
                .archiveId(ctx.archiveId())
                .controlChannel("aeron:udp?endpoint=" + self.archiveEndpoint())
                .localControlChannel(LOCAL_CONTROL_CHANNEL)
                .replicationChannel("aeron:udp?endpoint=" + hostOf(self) + ":0")
                .archiveClientContext(new AeronArchive.Context()
                        .controlResponseChannel("aeron:udp?endpoint=" + hostOf(self) + ":0"))
                .recordingEventsEnabled(false)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(ctx.idleStrategySupplier())
                .recorderIdleStrategySupplier(ctx.idleStrategySupplier())
                .replayerIdleStrategySupplier(ctx.idleStrategySupplier())
                .segmentFileLength(ctx.archiveSegmentLength())
                .fileSyncLevel(sync ? 1 : 0)
                .catalogFileSyncLevel(sync ? 1 : 0)
                // A CRC in every recorded frame lets the archive accept, after kill -9, a complete last fragment that
                // straddles a page boundary; without it, trailing zeros there (alignment padding, zero bytes in an
                // entry) make recovery refuse to start ("potentially incomplete last fragment straddling page
                // boundary"). Replays rewrite the session id field the CRC is stored in.
                .recordChecksum(new RecordChecksum())
                .deleteArchiveOnStart(false)
                .errorHandler(errors);
    }

    static ClusteredServiceContainer launchContainer(AeronReplicationPort.Context ctx, MemberDirs dirs,
                                                     ClusteredService service) {
        Archive.Context archiveDefaults = new Archive.Context().localControlChannel(LOCAL_CONTROL_CHANNEL);
        // The container's own client, made here as the container would (it requires a rethrowing subscriber error
        // handler) only to let its conductor sleep longer (CLIENT_CONDUCTOR_SLEEP_NS); the container closes it.
        Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName())
                .errorHandler(errorHandler(ctx.nodeId()))
                .subscriberErrorHandler(RethrowingErrorHandler.INSTANCE)
                .awaitingIdleStrategy(YieldingIdleStrategy.INSTANCE)
                .clientName("accord-service-" + ctx.nodeId())
                .idleSleepDurationNs(AeronReplicationPort.Configuration.CLIENT_CONDUCTOR_SLEEP_NS));
        try {
            return launchContainer(ctx, dirs, service, aeron, archiveDefaults);
        } catch (RuntimeException | Error e) {
            CloseHelper.quietClose(aeron);
            throw e;
        }
    }

    private static ClusteredServiceContainer launchContainer(AeronReplicationPort.Context ctx, MemberDirs dirs,
                                                             ClusteredService service, Aeron aeron,
                                                             Archive.Context archiveDefaults) {
        return ClusteredServiceContainer.launch(new ClusteredServiceContainer.Context()
                .aeron(aeron)
                .ownsAeronClient(true)
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .archiveContext(localArchiveClient(ctx, archiveDefaults))
                .clusterDir(dirs.clusterDir.toFile())
                .clusteredService(service)
                .idleStrategySupplier(ctx.idleStrategySupplier())
                .errorHandler(errorHandler(ctx.nodeId())));
    }

    /** The context of this member's ingress client (a fresh one per connect attempt). */
    static AeronCluster.Context clientContext(AeronReplicationPort.Context ctx) {
        AeronCluster.Context client = new AeronCluster.Context();
        if (ctx.clusterSecret() != null) {
            client.credentialsSupplier(IngressAuthenticator.credentials(ctx.clusterSecret()));
        }
        return client
                .ingressChannel("aeron:udp?term-length=" + ctx.ingressTermLength() + "|mtu=" + ctx.mtu())
                .ingressEndpoints(Member.ingressEndpoints(ctx.members()))
                .egressChannel("aeron:udp?endpoint=" + hostOf(ctx.self()) + ":0|term-length=64k")
                .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5));
    }

    static AeronArchive.Context localArchiveClient(AeronReplicationPort.Context ctx, Archive.Context archive) {
        return new AeronArchive.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(archive.localControlChannel())
                .controlRequestStreamId(archive.localControlStreamId())
                .controlResponseChannel(archive.localControlChannel());
    }

    static String hostOf(Member m) {
        String h = m.host();
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }
}
