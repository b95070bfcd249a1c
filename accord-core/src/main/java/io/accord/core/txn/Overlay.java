package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.tree.Node;
import io.accord.core.tree.NodeView;
import java.util.List;
import java.util.TreeMap;

/**
 * A multi's pending view: the live tree plus the effects of the multi's earlier ops, kept in a small sorted map
 * of path → pending state. Validation runs against it before anything is written, so a failing multi leaves the
 * tree untouched and readers never see a half-applied or rolled-back multi. Cost: O(ops · log ops) plus tree
 * lookups.
 *
 * <p>Threading: apply thread only; one instance per multi.
 */
final class Overlay implements Target {
    private final ReplicaState st;
    private final TreeMap<String, Pending> pending = new TreeMap<>();

    /** A node's validation-relevant state as the multi would leave it; {@code deleted} is a tombstone. */
    private static final class Pending implements NodeView {
        boolean deleted;
        long owner;
        int version;
        int aversion;
        int childCounter;
        int numChildren;
        List<Acl> acl;

        @Override
        public long ephemeralOwner() {
            return owner;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public int aversion() {
            return aversion;
        }

        @Override
        public int childCounter() {
            return childCounter;
        }

        @Override
        public int numChildren() {
            return numChildren;
        }
    }

    Overlay(ReplicaState st) {
        this.st = st;
    }

    private static String key(String path) {
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public NodeView find(String path) {
        Pending p = pending.get(key(path));
        if (p != null) {
            return p.deleted ? null : p;
        }
        return st.tree.find(path);
    }

    @Override
    public List<Acl> aclOf(NodeView node) {
        return node instanceof Pending p ? p.acl : st.acls.get(((Node) node).aclId());
    }

    /** The pending copy of a node that {@link #find} returned, creating it from the tree if needed. */
    private Pending pendingOf(String path, NodeView view) {
        if (view instanceof Pending p) {
            return p;
        }
        Node n = (Node) view;
        Pending p = new Pending();
        p.owner = n.ephemeralOwner();
        p.version = n.version();
        p.aversion = n.aversion();
        p.childCounter = n.childCounter();
        p.numChildren = n.numChildren();
        p.acl = st.acls.get(n.aclId());
        pending.put(key(path), p);
        return p;
    }

    @Override
    public Result create(NodeView parent, String parentPath, String path, byte[] data, List<Acl> acl, long owner) {
        Pending pp = pendingOf(parentPath, parent);
        pp.childCounter++;
        pp.numChildren++;
        Pending p = new Pending();
        p.owner = owner;
        p.acl = acl;
        pending.put(path, p);
        return Result.Done.INSTANCE;
    }

    @Override
    public Result delete(NodeView parent, String parentPath, NodeView node, String path) {
        pendingOf(parentPath, parent).numChildren--;
        Pending p = new Pending();
        p.deleted = true;
        pending.put(path, p);
        return Result.Done.INSTANCE;
    }

    @Override
    public Result setData(NodeView node, String path, byte[] data, int newVersion) {
        pendingOf(path, node).version = newVersion;
        return Result.Done.INSTANCE;
    }

    @Override
    public Result setAcl(NodeView node, String path, List<Acl> acl, int newAversion) {
        Pending p = pendingOf(path, node);
        p.acl = acl;
        p.aversion = newAversion;
        return Result.Done.INSTANCE;
    }
}
