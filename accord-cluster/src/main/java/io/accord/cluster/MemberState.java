package io.accord.cluster;

import io.aeron.cluster.service.Cluster;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clustered service tells the rest of the node: written only by the service thread, read by the
 * submitter and by {@link AeronReplicationPort#serving()} from any thread.
 */
final class MemberState {
    /** {@link System#nanoTime()} of the last entry, tick or term event applied; 0 before the first. */
    volatile long lastApplyNanos;
    /** The highest sequence of this node's own entries seen in the log (applied, or skipped as a resend). */
    volatile long ownSequenceInLog = Long.MIN_VALUE;
    volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    volatile int leaderMemberId = -1;
    volatile long leadershipTermId = -1;
    /** Set once when applying fails (a corrupt entry or a bug in apply): the member no longer applies. */
    volatile Throwable failure;
    volatile boolean started;
    /** Cluster sessions opened in the log and not yet closed (the service adds and removes them). */
    final Set<Long> openSessions = ConcurrentHashMap.newKeySet();
    volatile long entriesApplied;
    /** Entries of a node the replica skipped: resends, or entries the restored checkpoint already reflected. */
    volatile long entriesSkipped;
    volatile long ticksApplied;
    volatile long snapshotsTaken;
    volatile long snapshotsLoaded;
    volatile long lastSnapshotNanos;
    volatile long snapshotNanosTotal;
    /** Told the duration of every snapshot written (metrics). */
    volatile java.util.function.LongConsumer snapshotListener = ns -> { };
}
