/**
 * Faults checked by a model: a three-member Accord cluster in separate JVMs
 * ({@link io.accord.compat.faults.FaultCluster}) under kill -9 (leader included) and restart, SIGSTOP/SIGCONT pauses
 * longer than the session and election timeouts (of one member, or of two: no quorum), kill -9 of all members then
 * restart (persistent mode), and a wiped member rejoining; real ZooKeeper and Curator clients spread over every member
 * record {@link io.accord.compat.faults.History histories} that checkers judge:
 *
 * <ul>
 *   <li>registers (setData with version, sync + getData): linearizable per znode
 *       ({@link io.accord.compat.faults.RegisterChecker}, a Wing &amp; Gong / Lowe search) and monotonic per
 *       session;</li>
 *   <li>a create-sequential queue: no acknowledged enqueue lost or applied twice, no sequential name reused,
 *       sequence numbers increasing in zxid order;</li>
 *   <li>a Curator InterProcessMutex counter and an ephemeral-sequential election, both fenced by a check of the
 *       holder's own znode: at most one holder / leader at a time in zxid order, no increment lost;</li>
 *   <li>pipelined asynchronous requests: replies in request order, a session reads its own writes exactly;</li>
 *   <li>watches: no response shows a watched change before the watch event, across reconnects;</li>
 *   <li>at the end, equal state digests (every znode's data and Stat, read from each member after a sync).</li>
 * </ul>
 *
 * <p>Runs: {@code mvn -o -pl tests-zk-compat test -Dtest=FaultInjectionTest} (one round, a leader kill -9 and a pause,
 * ~35 s); {@code -Dsoak.minutes=N} loops rounds of random faults for N minutes; {@code -Dfaults.seed=S} replays the
 * fault plan and the clients' random choices of seed S. The log, also live in {@code target/faults-<seed>.log},
 * names the seed, every fault and the operations checked per workload.
 */
package io.accord.compat.faults;
