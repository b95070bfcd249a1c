/**
 * The client front end of one Accord node: {@link io.accord.zk.server.ZkServer} (facade and its Context), one
 * {@code Connection} per socket (handshake, per-connection order, ordered outbound queue), {@code ServerNode}
 * (state shared by the connections and the port's apply listener), {@code LocalOps} (reads and session-local
 * ops against the local replica), {@code WriteOps} (requests to log ops and results to replies),
 * {@code WatchManager} (this node's watch tables), {@code FourLetterWords} and the statistics.
 *
 * <p>Operations: the node's Dropwizard registry ({@link io.accord.zk.server.ZkServer#metrics()}, names in
 * {@link io.accord.zk.server.ZkMetrics}) is filled by {@code ServerStats}, {@code TrafficCounter} and the gauges of
 * {@code ServerNode}, and reported three ways: {@code mntr} (ZooKeeper 3.9.5's keys, order and types), JMX (domain
 * {@code io.accord}) and {@code GET /metrics} in Prometheus text on the {@code AdminServer}, which also answers
 * ZooKeeper's AdminServer commands ({@code AdminCommands}) on the client port's event loops. The cluster layer
 * reports the node's role through {@link io.accord.zk.server.ServerRole} and adds its own metrics to the registry.
 *
 * <p>Threads: Netty event loops decode, run reads and write output; the port's apply thread completes writes and
 * queues watch events synchronously, while the replica holds readers back, which is what keeps an event ahead of
 * any reply that shows its change.
 */
package io.accord.zk.server;
