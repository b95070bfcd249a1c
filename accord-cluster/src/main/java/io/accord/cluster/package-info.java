/**
 * Replication of Accord's log over Aeron Cluster: any node accepts writes.
 *
 * <p>Every node is one cluster member: a media driver, an archive that records the replicated log (fsynced in
 * persistent mode), a consensus module (Raft: the leader sequences and a majority persists), and a clustered
 * service container whose {@code AccordService} applies each committed log entry to the node's
 * {@code accord-core} replica. Each node also runs an ingress client (the submitter, {@code IngressAgent}) that
 * batches the requests its ZooKeeper front end submits into {@code LogEntry}s of its own origin and sends them to
 * the leader, whichever member that is. The leader does no ZooKeeper work: it appends bytes.
 *
 * <p>A write is answered when the submitting node's own replica applies it, so no egress traffic is needed; the
 * submitter keeps every entry until it is seen in the log and resends in order after a leader change, and the
 * replica drops resends by (origin, sequence). Time inside apply is the log's time; the replicated timer appends
 * ticks (session expiry), and every new leadership term resets session deadlines.
 *
 * <p>Persistent mode adds the Xodus checkpoint ({@code accord-core}'s {@code Checkpointer}): a restart loads the
 * tree from Xodus and replays only the log after its position. Snapshots (periodic, triggered on the leader, taken
 * by every member) stream the whole tree into each member's archive; a restarting member loads the newest one that
 * is ahead of its checkpoint and replays the log after it. The log itself is never purged (see
 * {@link io.accord.cluster.AeronReplicationPort#takeSnapshot()}), so a wiped or new member catches up by replicating
 * the whole log from the leader.
 *
 * <p>Public: {@link io.accord.cluster.AeronReplicationPort} with its {@code Context}, {@link io.accord.cluster.Member}
 * and {@link io.accord.cluster.StorageMode}. Everything else is package-private.
 */
package io.accord.cluster;
