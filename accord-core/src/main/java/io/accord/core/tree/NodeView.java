package io.accord.core.tree;

/**
 * The part of a znode's state that write validation reads: implemented by live {@link Node}s and by the pending
 * copies a multi keeps while it validates (so one set of checks serves both).
 */
public interface NodeView {

    /** The raw stored owner: a session id, 0, the container marker or a TTL encoding ({@link EphemeralType}). */
    long ephemeralOwner();

    int version();

    int aversion();

    /** ZooKeeper's stored child-create counter {@code C}. */
    int childCounter();

    int numChildren();
}
