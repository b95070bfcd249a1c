/**
 * Requests, results and events (the API records), and the apply machinery behind
 * {@link io.accord.core.StateMachine}:
 * <ul>
 *   <li>{@link io.accord.core.txn.Executor} assigns zxids and dispatches each request; {@code SessionOps} handles
 *       sessions and the replicated timer (expiry, container/TTL sweeps).</li>
 *   <li>{@code WriteOps} holds ZooKeeper's checks in ZooKeeper's order. They run against a {@code Target}: the live
 *       tree ({@code TreeTarget}, which also mutates and reports events), or a multi's {@code Overlay}, so a multi
 *       is validated completely before the tree is touched.</li>
 *   <li>{@link io.accord.core.txn.Reads} answers queries; {@link io.accord.core.txn.Images} writes images and
 *       digests; {@link io.accord.core.txn.ImageLoader} rebuilds state; {@link io.accord.core.txn.ChangeTracker}
 *       records what changed for checkpoints.</li>
 * </ul>
 * Determinism rules (no clocks, randomness, threads or hash-ordered iteration) are enforced by an ArchUnit test.
 */
package io.accord.core.txn;
