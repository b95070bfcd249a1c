package io.accord.cluster;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Truncates this member's log recording after snapshots: detaches and deletes the archive segment files that lie
 * wholly before a position no member can need any more. Runs on its own thread every {@code checkIntervalMs},
 * and does nothing (no archive request) until a newer snapshot is in this member's {@code recording.log}.
 *
 * <h2>The bound</h2>
 * The log is purged up to the segment boundary at or below the smallest of:
 * <ul>
 *   <li>the latest snapshot in this member's {@code recording.log}: a restart loads it and replays the log after
 *   it (Aeron never replays from before its latest snapshot);</li>
 *   <li>in persistent mode, this member's Xodus durable position (as DESIGN.md requires, although the snapshot
 *   is what a restart replays from);</li>
 *   <li>the recorded log position of <em>every</em> member, each read from that member's archive over its control
 *   port. A restarted member recovers from its own archive and fetches from the leader only the log after its
 *   own recorded position; once every member has recorded the log up to the bound, no member that keeps its data
 *   needs anything below it from anyone. If any member does not answer (down, partitioned, still starting),
 *   nothing is purged.</li>
 * </ul>
 * Segments are purged whole, so the purge position is {@link AeronArchive#segmentFileBasePosition} of the bound.
 * Recordings of snapshots older than the last two are deleted too (a snapshot holds the whole tree).
 *
 * <h2>What it cannot cover</h2>
 * A member whose data was wiped (or that was down while every other member purged, which the third rule prevents
 * unless it was removed and re-created) needs the log from position 0: Aeron 1.51's election catches a follower
 * up by replaying the leader's log from the follower's position, and fails when that is below the leader's log
 * start (aeron-io/aeron#1533). {@link AeronReplicationPort} seeds such a member from a peer's latest snapshot and
 * log with Aeron's {@code ClusterBackup} before it starts its consensus module (see {@code SnapshotSeed}).
 *
 * <p>Threading: its own single thread; {@link #close} stops it and waits for a purge in progress.
 */
final class LogPurger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogPurger.class);
    private static final long ARCHIVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    private final int nodeId;
    private final Aeron aeron;
    private final File clusterDir;
    private final List<Member> members;
    private final String responseHost;
    private final LongSupplier durablePosition;
    private final ScheduledExecutorService executor;
    /** The snapshot position of the last successful check: nothing to do until a newer snapshot exists. */
    private long checkedSnapshotPosition = -1;
    /** Snapshot recordings already purged (their recording.log entries remain). */
    private final java.util.Set<Long> purgedSnapshots = new java.util.HashSet<>();
    private volatile long logStartPosition;
    private volatile long purges;

    /**
     * @param durablePosition the Xodus durable position, or {@code Long.MAX_VALUE} in memory mode
     */
    LogPurger(int nodeId, Aeron aeron, File clusterDir, List<Member> members, String responseHost,
              LongSupplier durablePosition, long checkIntervalMs) {
        this.nodeId = nodeId;
        this.aeron = aeron;
        this.clusterDir = clusterDir;
        this.members = members;
        this.responseHost = responseHost;
        this.durablePosition = durablePosition;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "accord-log-purge-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, checkIntervalMs, checkIntervalMs, TimeUnit.MILLISECONDS);
    }

    /** The start position of this member's log recording after the last purge (0 before any). */
    long logStartPosition() {
        return logStartPosition;
    }

    /** Purges done since start. */
    long purges() {
        return purges;
    }

    private void check() {
        try {
            RecordingLog.Entry snapshot;
            long logRecordingId;
            List<RecordingLog.Entry> entries;
            try (RecordingLog log = new RecordingLog(clusterDir, false)) {
                snapshot = log.getLatestSnapshot(ConsensusModule.Configuration.SERVICE_ID);
                logRecordingId = log.findLastTermRecordingId();
                entries = log.entries();
            }
            if (snapshot == null || logRecordingId < 0 || snapshot.logPosition <= checkedSnapshotPosition) {
                return;
            }
            long bound = Math.min(snapshot.logPosition, durablePosition.getAsLong());
            for (Member m : members) {
                long recorded = recordedLogPosition(m);
                if (recorded < 0) {
                    LOG.debug("member {}: member {} did not report its log position; not purging", nodeId, m.id());
                    return;
                }
                bound = Math.min(bound, recorded);
            }
            if (purge(logRecordingId, bound) && bound >= snapshot.logPosition) {
                checkedSnapshotPosition = snapshot.logPosition;
                purgeOldSnapshots(entries, snapshot.logPosition);
            }
        } catch (RuntimeException e) {
            LOG.warn("member {}: log purge check failed ({}); retrying later", nodeId, e.toString());
        }
    }

    /**
     * Deletes the recordings of snapshots older than the last two (the latest, at {@code latestPosition}, and the
     * one before it, kept in case the latest cannot be read). Their {@code recording.log} entries stay: Aeron
     * recovers from the latest valid snapshot and never reads older ones while a newer one exists.
     */
    private void purgeOldSnapshots(List<RecordingLog.Entry> entries, long latestPosition) {
        long previous = -1;
        for (RecordingLog.Entry e : entries) {
            if (e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && e.isValid && e.logPosition < latestPosition) {
                previous = Math.max(previous, e.logPosition);
            }
        }
        List<Long> old = new ArrayList<>();
        for (RecordingLog.Entry e : entries) {
            if (e.type == RecordingLog.ENTRY_TYPE_SNAPSHOT && e.isValid && e.logPosition < previous
                    && purgedSnapshots.add(e.recordingId)) {
                old.add(e.recordingId);
            }
        }
        if (old.isEmpty()) {
            return;
        }
        try (AeronArchive archive = connect(self())) {
            for (long id : old) {
                try {
                    archive.purgeRecording(id);
                } catch (RuntimeException e) {
                    LOG.debug("member {}: snapshot recording {} not purged: {}", nodeId, id, e.toString());
                }
            }
        }
        LOG.info("member {}: purged {} recording(s) of snapshots before log position {}", nodeId, old.size(),
                previous);
    }

    private Member self() {
        return members.stream().filter(m -> m.id() == nodeId).findFirst().orElseThrow();
    }

    /** Purges the local log recording to the segment base at or below {@code bound}; true if checked. */
    private boolean purge(long recordingId, long bound) {
        try (AeronArchive archive = connect(self())) {
            long[] d = new long[3];
            int found = archive.listRecording(recordingId, (controlSessionId, correlationId, id, startTimestamp,
                    stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength,
                    mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> {
                d[0] = startPosition;
                d[1] = segmentFileLength;
                d[2] = termBufferLength;
            });
            if (found != 1) {
                return false;
            }
            logStartPosition = d[0];
            long base = AeronArchive.segmentFileBasePosition(d[0], bound, (int) d[2], (int) d[1]);
            if (base <= d[0]) {
                return true;
            }
            long deleted = archive.purgeSegments(recordingId, base);
            logStartPosition = archive.getStartPosition(recordingId);
            purges++;
            LOG.info("member {}: purged {} log segment file(s) of recording {}: the log now starts at {} (bound {}, "
                    + "segments of {} bytes)", nodeId, deleted, recordingId, logStartPosition, bound, d[1]);
            return true;
        }
    }

    /** The highest log position member {@code m}'s archive has recorded, or -1 if it cannot be asked. */
    private long recordedLogPosition(Member m) {
        long[] range = logRange(aeron, m, responseHost);
        if (range == null) {
            LOG.debug("member {}: cannot ask member {}'s archive for its log position", nodeId, m.id());
            return -1;
        }
        return range[1];
    }

    /**
     * The start and the recorded end of the log recording in member {@code m}'s archive (asked over its control
     * port), {@code {0, -1}} if it has none, or null if it does not answer within 2 s.
     */
    static long[] logRange(Aeron aeron, Member m, String responseHost) {
        try (AeronArchive archive = connect(aeron, m, responseHost)) {
            List<long[]> logs = new ArrayList<>();
            archive.listRecordingsForUri(0, Integer.MAX_VALUE, "", ConsensusModule.Configuration.LOG_STREAM_ID_DEFAULT,
                    (controlSessionId, correlationId, id, startTimestamp, stopTimestamp, startPosition, stopPosition,
                     initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
                     strippedChannel, originalChannel, sourceIdentity) -> logs.add(new long[] {id, startPosition,
                            stopPosition}));
            long[] best = {0, -1};
            for (long[] log : logs) {
                long position = log[2] != AeronArchive.NULL_POSITION ? log[2] : archive.getRecordingPosition(log[0]);
                if (position == AeronArchive.NULL_POSITION) {
                    position = archive.getStopPosition(log[0]);
                }
                if (position > best[1]) {
                    best[0] = log[1];
                    best[1] = position;
                }
            }
            return best;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private AeronArchive connect(Member m) {
        return connect(aeron, m, responseHost);
    }

    private static AeronArchive connect(Aeron aeron, Member m, String responseHost) {
        return AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .ownsAeronClient(false)
                .controlRequestChannel("aeron:udp?endpoint=" + m.archiveEndpoint())
                .controlResponseChannel("aeron:udp?endpoint=" + responseHost + ":0")
                .messageTimeoutNs(ARCHIVE_TIMEOUT_NS));
    }

    @Override
    public void close() {
        executor.shutdown(); // no interrupt: a check in progress ends within the archive timeout
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
