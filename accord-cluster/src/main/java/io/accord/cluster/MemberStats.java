package io.accord.cluster;

/**
 * Counters of one member, for tests, four-letter words and metrics.
 *
 * @param role               LEADER, FOLLOWER or CANDIDATE
 * @param appliedPosition    the replica's log position
 * @param entriesApplied     log entries, ticks and term events applied since start (skipped ones included)
 * @param entriesSent        log entries this node offered to the cluster (resends included)
 * @param requestsSent       client requests in those entries: {@code requestsSent / entriesSent} is the batch size
 * @param resends            entries this node offered again after a leader change or reconnect
 * @param unapplied          entries this node submitted that its replica has not yet seen in the log
 * @param checkpointPosition position committed to Xodus (-1 in memory mode)
 * @param durablePosition    position fsynced in Xodus: the log must never be purged past it
 * @param logStartPosition   where this member's archived log now starts (0 until segments were purged)
 * @param logPurges          purges of old log segments since start
 * @param lastSnapshotNanos  how long writing this member's last snapshot took (0 before the first)
 * @param snapshotNanosTotal how long writing all of this member's snapshots since start took
 * @param doorbellRings      times this member woke the others after a quiet spell ({@link Doorbell})
 * @param doorbellsHeard     times another member woke this one
 */
public record MemberStats(String role, int leaderMemberId, long leadershipTermId, long appliedPosition,
                          long entriesApplied, long ticksApplied, long snapshotsTaken, long snapshotsLoaded,
                          long entriesSent, long requestsSent, long resends, long newLeaderEvents, long unapplied,
                          long checkpointPosition, long durablePosition, long logStartPosition,
                          long logPurges, long lastSnapshotNanos,
                          long snapshotNanosTotal, long doorbellRings, long doorbellsHeard) {
}
