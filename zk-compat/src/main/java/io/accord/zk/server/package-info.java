/**
 * The client front end of one Accord node: {@link io.accord.zk.server.ZkServer} (facade and its Context), one
 * {@code Connection} per socket (handshake, per-connection order, ordered outbound queue), {@code ServerNode}
 * (state shared by the connections and the port's apply listener), {@code LocalOps} (reads and session-local
 * ops against the local replica), {@code WriteOps} (requests to log ops and results to replies),
 * {@code WatchManager} (this node's watch tables), {@code FourLetterWords} and the statistics.
 *
 * <p>Threads: Netty event loops decode, run reads and write output; the port's apply thread completes writes and
 * queues watch events synchronously, while the replica holds readers back, which is what keeps an event ahead of
 * any reply that shows its change.
 */
package io.accord.zk.server;
