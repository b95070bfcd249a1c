/**
 * The checkpoint stores of persistent mode: a durable copy of the replicated state at one log position, kept
 * off the commit path.
 *
 * <p>The live tree always lives in memory ({@link io.accord.core.StateMachine}). A
 * {@link io.accord.core.storage.Checkpointer} thread periodically drains the replica's coalesced changes
 * ({@link io.accord.core.Replica#drainChanges}) into a {@link io.accord.core.storage.ChangeSet} and writes it,
 * with the log position it reflects, as one atomic transaction into a
 * {@link io.accord.core.storage.CheckpointStore}: {@link io.accord.core.storage.XodusCheckpointStore} (Xodus
 * Patricia stores, keys {@code parent 0x00 name}) in persistent mode, or
 * {@link io.accord.core.storage.MemoryCheckpointStore} for tests. Both run the same contract test suite.
 *
 * <p>Restart: open the store, {@link io.accord.core.storage.CheckpointStore#load} it into
 * {@link io.accord.core.StateMachine#loader}, replay the log after the store's position (the replica skips
 * entries at or below it), then start a Checkpointer again. The log must never be truncated past
 * {@link io.accord.core.storage.Checkpointer#durablePosition()}.
 */
package io.accord.core.storage;
