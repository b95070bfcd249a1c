package io.accord.cluster;

import io.aeron.Aeron;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterBackup;
import io.aeron.cluster.ClusterBackupEventsListener;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a member that cannot catch up by log replay a peer's latest snapshot and the log after it, with Aeron's
 * {@link ClusterBackup}, before its consensus module starts again.
 *
 * <p>Why: Aeron 1.51's election catches a follower up by replaying the leader's log from the follower's own log
 * position. Once the other members purged their old log segments ({@link LogPurger}), a member whose data was wiped
 * (position 0) asks for log that no longer exists, and its election fails again and again with the archive's
 * {@code requested replay start position=0 is less than recording start position} (aeron-io/aeron#1533; Aeron's
 * maintainers point to Cluster Backup for this); the follower itself sees {@code failed to join catchup log}.
 * On such errors {@link AeronReplicationPort} asks the other members' archives where their logs start ({@link
 * #isNeeded}); if every one that answers starts after this member's position, it stops the member's Aeron components and runs {@link #run}: this member's own (useless) cluster and
 * archive dirs are cleared, a media driver and archive start alone, {@code ClusterBackup} asks the members for their
 * latest snapshots, replicates them from the answering member's archive, starts recording that member's log from
 * the snapshot position ({@code ReplayStart.LATEST_SNAPSHOT}) and writes {@code recording.log}. Once the snapshots
 * are in and the log recording has started, the backup stops and the member starts as usual: it loads the
 * snapshot, replays the short log it has, and the election catches it up from there.
 *
 * <p>Threading: {@link #run} blocks the calling thread for at most {@code timeoutNs}.
 */
final class SnapshotSeed {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSeed.class);
    /** The archive's message when a replay (or replication) starts below a purged recording's start. */
    private static final String PURGED_LOG = "is less than recording start position";
    /** Aeron's election warning when a follower's catch-up replay never arrives. */
    private static final String CATCHUP_FAILED = "failed to join catchup log";

    private SnapshotSeed() {
    }

    /** Whether {@code error} is an election failing to catch this member up (one reason: purged log). */
    static boolean isCatchupFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains(CATCHUP_FAILED) || m.contains(PURGED_LOG))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this member, at {@code position}, can only catch up from a snapshot: every other member that answers
     * (at least one) has a log that starts after {@code position}.
     */
    static boolean isNeeded(AeronReplicationPort.Context ctx, Aeron aeron, long position) {
        int answered = 0;
        for (Member m : ctx.members()) {
            if (m.id() == ctx.nodeId()) {
                continue;
            }
            long[] range = LogPurger.logRange(aeron, m, MemberLauncher.hostOf(ctx.self()));
            if (range != null) {
                if (range[0] <= position) {
                    return false;
                }
                answered++;
            }
        }
        return answered > 0;
    }

    /** What the backup reported, written by its agent thread, read by the waiting thread. */
    private static final class Progress implements ClusterBackupEventsListener {
        volatile long snapshotPosition = -1;
        volatile long liveLogPosition = -1;
        volatile int supplier = -1;
        volatile Exception failure;

        @Override
        public void onBackupQuery() {
        }

        @Override
        public void onPossibleFailure(Exception ex) {
            failure = ex;
        }

        @Override
        public void onBackupResponse(ClusterMember[] members, ClusterMember logSource,
                                     List<RecordingLog.Snapshot> snapshotsToRetrieve) {
            supplier = logSource.id();
        }

        @Override
        public void onUpdatedRecordingLog(RecordingLog recordingLog, List<RecordingLog.Snapshot> snapshotsRetrieved) {
            for (RecordingLog.Snapshot s : snapshotsRetrieved) {
                if (s.serviceId() == ConsensusModule.Configuration.SERVICE_ID) {
                    snapshotPosition = Math.max(snapshotPosition, s.logPosition());
                }
            }
        }

        @Override
        public void onLiveLogProgress(long recordingId, long recordingPosCounterId, long logPosition) {
            liveLogPosition = logPosition;
        }

        boolean done() {
            return snapshotPosition >= 0 && liveLogPosition >= snapshotPosition;
        }
    }

    /**
     * Replaces this member's cluster and archive dirs with a peer's latest snapshot and the log after it.
     *
     * @throws IllegalStateException if that is not done within {@code timeoutNs}
     */
    static void run(AeronReplicationPort.Context ctx, MemberDirs dirs, long timeoutNs) {
        long t0 = System.nanoTime();
        LOG.warn("member {}: its log is behind the start of the other members' (purged) logs; fetching the latest "
                + "snapshot and the log after it from another member", ctx.nodeId());
        clear(dirs.clusterDir);
        clear(dirs.archiveDir);
        Member self = ctx.self();
        String host = MemberLauncher.hostOf(self);
        String peers = ctx.members().stream().filter(m -> m.id() != ctx.nodeId()).map(Member::consensusEndpoint)
                .collect(Collectors.joining(","));
        Progress progress = new Progress();
        ClusterBackup.Context backupContext = new ClusterBackup.Context();
        if (ctx.clusterSecret() != null) {
            backupContext.credentialsSupplier(IngressAuthenticator.credentials(ctx.clusterSecret()));
        }
        try (ArchivingMediaDriver driver = MemberLauncher.launchArchivingDriver(ctx, dirs,
                MemberLauncher.errorHandler(ctx.nodeId()))) {
            ClusterBackup backup = ClusterBackup.launch(backupContext
                    .aeronDirectoryName(ctx.aeronDirectoryName())
                    .clusterDir(dirs.clusterDir.toFile())
                    .deleteDirOnStart(false)
                    .archiveContext(MemberLauncher.localArchiveClient(ctx, driver.archive().context()))
                    .clusterArchiveContext(new AeronArchive.Context()
                            // the backup puts the answering member's archive endpoint into this channel
                            .controlRequestChannel("aeron:udp?endpoint=" + self.archiveEndpoint())
                            .controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
                    .clusterConsensusEndpoints(peers)
                    .consensusChannel("aeron:udp?endpoint=" + self.consensusEndpoint())
                    .catchupEndpoint(self.catchupEndpoint())
                    .sourceType(ClusterBackup.SourceType.ANY)
                    .initialReplayStart(ClusterBackup.Configuration.ReplayStart.LATEST_SNAPSHOT)
                    .clusterBackupResponseTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                    .eventsListener(progress)
                    .idleStrategySupplier(ctx.idleStrategySupplier())
                    .errorHandler(MemberLauncher.errorHandler(ctx.nodeId())));
            try {
                while (!progress.done()) {
                    if (System.nanoTime() - t0 > timeoutNs) {
                        throw new IllegalStateException("member " + ctx.nodeId() + ": no snapshot and log from the "
                                + "other members within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms (snapshot "
                                + "at " + progress.snapshotPosition + ", log recorded to " + progress.liveLogPosition
                                + ", last problem: " + progress.failure + ")");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } finally {
                CloseHelper.quietClose(backup);
            }
        }
        try {
            for (Path p : dirs.markFiles()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("member {}: fetched member {}'s snapshot at log position {} and its log to {} in {} ms", ctx.nodeId(),
                progress.supplier, progress.snapshotPosition, progress.liveLogPosition,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static void clear(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
