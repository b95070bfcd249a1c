package io.accord.core;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageSink;
import io.accord.core.session.SessionInfo;
import io.accord.core.tree.Stat;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Result;
import java.util.List;
import java.util.function.Supplier;

/**
 * One replica of Accord's replicated state: the znode tree, the session table and the counters, changed only by
 * {@link #apply} in log order, read concurrently by network threads.
 *
 * <p>Threading: {@code apply} is called by one thread (the log's). Every read method may be called from any
 * thread; each sees the state between two applied log entries, never half of one (a multi is atomic to readers).
 * {@link #readLocked} runs several reads (and, for example, a watch registration) against one such state.
 */
public interface Replica {

    /**
     * Applies one log entry: every request in it, in order. Entries at or below {@link #appliedPosition()} are
     * ignored (they are already reflected, e.g. after restoring a checkpoint), and so are entries from an
     * origin whose sequence is not above the last one applied from it (a resend).
     *
     * @param logPosition a position that grows with every entry of the log
     * @param logTimeMs   the log's timestamp for this entry: the only clock apply ever reads
     * @param listener    told about each applied request while readers are still held back
     */
    void apply(long logPosition, long logTimeMs, LogEntry entry, ApplyListener listener);

    long appliedPosition();

    long lastZxid();

    /** Runs {@code reads} against one consistent state. Reentrant. */
    <T> T readLocked(Supplier<T> reads);

    /** exists: {@link Result.StatOnly}, or NONODE / NOAUTH (3.9: READ needed when the node exists). */
    Result exists(String path, List<Id> authIds);

    /** getData: {@link Result.Data}, or NONODE / NOAUTH. */
    Result getData(String path, List<Id> authIds);

    /** getChildren / getChildren2: {@link Result.Children} (sorted names, parent stat), or NONODE / NOAUTH. */
    Result getChildren(String path, List<Id> authIds);

    /** getACL: {@link Result.AclList} (digest ids redacted as {@code user:x} without ADMIN), or NONODE / NOAUTH. */
    Result getAcl(String path, List<Id> authIds);

    /** getEphemerals: the session's ephemeral paths starting with {@code prefix} (null, "" or "/" = all). */
    Result getEphemerals(long sessionId, String prefix);

    /** getAllChildrenNumber: {@link Result.Count} of all descendants, or NONODE / NOAUTH. */
    Result getAllChildrenNumber(String path, List<Id> authIds);

    /** The node's stat without any permission check, or null if it does not exist (for setWatches catch-up). */
    Stat statOf(String path);

    /** Whether these ids hold {@code perm} under {@code acl} (also used to filter watch events by READ). */
    boolean permits(List<Acl> acl, List<Id> authIds, int perm);

    /** The live session, or null if it is unknown, closed or expired. */
    SessionInfo session(long sessionId);

    /** Number of znodes, the root and {@code /zookeeper} subtree included. */
    int nodeCount();

    /** Sum of path lengths and data lengths, as ZooKeeper's {@code approximateDataSize}. */
    long approximateDataSize();

    int sessionCount();

    int ephemeralCount();

    /**
     * A digest of the whole replicated state (nodes with all stat fields, data and ACLs; sessions; counters).
     * Two replicas that applied the same log have the same digest.
     */
    long digest();

    /**
     * Writes a consistent image of the whole state as it was when the call began (for snapshots and checkpoint
     * rebases). Applies go on while it streams: they wait only for short steps of a few hundred nodes. Must not be
     * called while holding the replica's lock (it throws instead of deadlocking).
     */
    void writeImage(ImageSink sink);

    /**
     * Starts tracking changes for {@link #drainChanges}; until called, apply records nothing (memory mode pays
     * nothing for checkpoints).
     */
    void trackChanges();

    /** Hands over everything changed since the previous drain, at one consistent position, then forgets it. */
    void drainChanges(ChangeSink sink);
}
