package io.accord.core.storage;

import io.accord.core.image.ImageSink;

/**
 * A durable, incrementally updated copy of the replicated state at one log position: what a node restarts
 * from before replaying the log after {@link #appliedPosition()}.
 *
 * <p>Contract, checked for every implementation by the same test suite:
 * <ul>
 *   <li>{@link #apply} is atomic: after it returns the store reflects the change set and its meta position; if it
 *   throws, or the process dies during it, the store is still exactly at the previous position.</li>
 *   <li>{@link #load} streams the image in {@link ImageSink} order: meta, ACLs, nodes with every parent before
 *   its children (children of one parent sorted by unsigned UTF-8 bytes), sessions.</li>
 *   <li>Positions never go back: a change set older than the store is rejected, except a whole image
 *   ({@link ChangeSet#replacesAll()}), which replaces the store's content and position: a replica restored from
 *   an older snapshot re-bases the store onto itself (and replays the log from there).</li>
 * </ul>
 *
 * <p>Threading: one writer at a time ({@link #apply}, {@link #sync}); {@link #load} may run concurrently with it
 * and sees one committed position; {@link #appliedPosition()} from any thread.
 */
public interface CheckpointStore extends AutoCloseable {

    /** Position of an empty store, before any change set. */
    long EMPTY = -1;

    /** The log position the store reflects ({@link #EMPTY} when nothing was ever applied). */
    long appliedPosition();

    /**
     * Streams the stored image into {@code sink}.
     *
     * @return false (and calls nothing) if the store is empty
     */
    boolean load(ImageSink sink);

    /**
     * Writes one change set and its position atomically. A set without meta but with changes is rejected (the
     * position would be unknown); an empty set does nothing.
     *
     * @throws IllegalStateException if the set's position is below {@link #appliedPosition()}
     * @throws CheckpointException   if the underlying store fails (the store stays at its previous position)
     */
    void apply(ChangeSet changes);

    /** Forces everything applied so far to stable storage (fsync); returns the position now durable. */
    long sync();

    /** Bytes the store occupies (on disk, or an estimate in memory). */
    long sizeBytes();

    @Override
    void close();
}
