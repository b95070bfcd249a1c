package io.accord.cluster;

/**
 * Counters of one member, for tests, four-letter words and metrics.
 *
 * @param role               LEADER, FOLLOWER or CANDIDATE
 * @param appliedPosition    the replica's log position
 * @param entriesApplied     log entries, ticks and term events applied since start (skipped ones included)
 * @param resends            entries this node offered again after a leader change or reconnect
 * @param unapplied          entries this node submitted that its replica has not yet seen in the log
 * @param checkpointPosition position committed to Xodus (-1 in memory mode)
 * @param durablePosition    position fsynced in Xodus: the log must never be purged past it
 */
public record MemberStats(String role, int leaderMemberId, long leadershipTermId, long appliedPosition,
                          long entriesApplied, long ticksApplied, long snapshotsTaken, long snapshotsLoaded,
                          long entriesSent, long resends, long newLeaderEvents, long unapplied,
                          long checkpointPosition, long durablePosition) {
}
