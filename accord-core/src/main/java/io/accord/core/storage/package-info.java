/**
 * The checkpoint stores of persistent mode: a durable copy of the replicated state at one log position, kept
 * off the commit path.
 *
 * <p>The live tree always lives in memory ({@link io.accord.core.StateMachine}). A
 * {@link io.accord.core.storage.Checkpointer} drains the replica's coalesced changes
 * ({@link io.accord.core.Replica#drainChanges}) every 100 ms into a {@link io.accord.core.storage.ChangeSet} and
 * every second writes the accumulated set, with the log position it reflects, as one atomic transaction into a
 * {@link io.accord.core.storage.CheckpointStore}: {@link io.accord.core.storage.XodusCheckpointStore} (Xodus
 * Patricia stores, keys {@code parent 0x00 name}) in persistent mode, or
 * {@link io.accord.core.storage.MemoryCheckpointStore} for tests. Both run the same contract test suite.
 *
 * <h2>How a node uses it (persistent mode)</h2>
 * <ol>
 *   <li>Open: {@code store = XodusCheckpointStore.open(dataDir.resolve("checkpoint"))} (JVM flag
 *   {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}). A store of another format version is refused with a
 *   {@link io.accord.core.storage.CheckpointException} that says what to do.</li>
 *   <li>Restore: if the store's {@link io.accord.core.storage.CheckpointStore#appliedPosition()} is at or past the
 *   cluster snapshot's position (or there is no snapshot), {@code store.load(loader = StateMachine.loader(cfg));
 *   replica = loader.finish()}; otherwise load the cluster snapshot
 *   ({@link io.accord.core.codec.SnapshotCodec#read}). Then replay the log as usual: the replica skips entries at
 *   or below its position.</li>
 *   <li>Start checkpointing <em>before applying anything new</em>:
 *   {@code cp = Checkpointer.start(replica, store, Checkpointer.Settings.defaults())}. If the replica was not
 *   loaded from this store (fresh store, or restored from a snapshot), the first checkpoint is a full image that
 *   replaces the store's content, so the store never claims a position it does not fully reflect.</li>
 *   <li>Log truncation: <b>never purge or truncate the log past {@link
 *   io.accord.core.storage.Checkpointer#durablePosition()}</b>. Before purging up to position I, call
 *   {@code cp.checkpointAndSync(timeoutMs)} (drain, write, fsync via Xodus {@code flushAndSync}) and purge only
 *   up to {@code min(I, returned position)}. A failing store freezes the durable position (see
 *   {@link io.accord.core.storage.Checkpointer#healthy()}), which stops truncation instead of losing data.</li>
 *   <li>Shutdown: {@code cp.close()} (final drain, write and fsync), then {@code store.close()}. Never interrupt
 *   the checkpointer's threads; the apply thread never touches Xodus, so interrupting it is harmless to the
 *   store.</li>
 * </ol>
 * Memory mode uses none of this: no {@code trackChanges}, no Checkpointer.
 */
package io.accord.core.storage;
