package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.tree.EphemeralType;
import io.accord.core.tree.Node;
import io.accord.core.tree.NodeView;
import io.accord.core.tree.PathRules;
import io.accord.core.tree.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies validated ops to the live tree for one transaction (one zxid and log time): keeps the ACL reference
 * counts, the ephemeral/container/TTL indexes and change tracking in step, and collects the watch events
 * (PROTOCOL.md 6.3). One instance is reused by the apply thread; {@link #begin} starts a transaction.
 *
 * <p>Threading: apply thread only, under the write lock.
 */
final class TreeTarget implements Target {
    private final ReplicaState st;
    private final Quotas quotas;
    private long zxid;
    private long time;
    private ArrayList<ChangeEvent> events;

    TreeTarget(ReplicaState st) {
        this.st = st;
        this.quotas = new Quotas(st.tree, this::dirty);
    }

    void begin(long zxid, long time) {
        this.zxid = zxid;
        this.time = time;
        this.events = null;
    }

    /** The events of the current transaction, in order. */
    List<ChangeEvent> events() {
        return events == null ? List.of() : events;
    }

    private void event(EventType type, String path, List<Acl> acl) {
        if (events == null) {
            events = new ArrayList<>(4);
        }
        events.add(new ChangeEvent(type, path, acl));
    }

    private void dirty(Node n) {
        ChangeTracker t = st.tracker;
        if (t != null) {
            t.node(n);
        }
    }

    @Override
    public NodeView find(String path) {
        return st.tree.find(path);
    }

    @Override
    public List<Acl> aclOf(NodeView node) {
        return st.acls.get(((Node) node).aclId());
    }

    @Override
    public Result create(NodeView parentView, String parentPath, String path, byte[] data, List<Acl> acl,
            long owner) {
        Node parent = (Node) parentView;
        byte[] name = Utf8.encode(path.substring(path.lastIndexOf('/') + 1));
        int aclId = st.acls.retain(acl);
        Node n = st.tree.insert(parent, name, data, path.length());
        st.tree.init(n, zxid, zxid, zxid, time, time, 0, 0, 0, owner, aclId);
        st.tree.created(parent, zxid);
        if (EphemeralType.isContainer(owner)) {
            st.containers.add(path);
        } else if (EphemeralType.isTtl(owner)) {
            st.ttls.add(path);
        } else if (owner != 0) {
            st.sessions.addEphemeral(owner, path);
        }
        if (st.tracker != null) {
            st.tracker.acl(aclId);
            dirty(n);
            dirty(parent);
        }
        quotas.created(parentPath, path.substring(path.lastIndexOf('/') + 1), path, n.dataLength());
        List<Acl> nodeAcl = st.acls.get(aclId);
        event(EventType.NODE_CREATED, path, nodeAcl);
        event(EventType.NODE_CHILDREN_CHANGED, PathRules.displayParent(parentPath), st.acls.get(parent.aclId()));
        return new Result.Created(path, n.stat());
    }

    @Override
    public Result delete(NodeView parentView, String parentPath, NodeView nodeView, String path) {
        Node parent = (Node) parentView;
        Node n = (Node) nodeView;
        int aclId = n.aclId();
        List<Acl> acl = st.acls.get(aclId);
        long owner = n.ephemeralOwner();
        int dataLength = n.dataLength();
        st.tree.remove(n, path.length(), zxid);
        quotas.deleted(path, dataLength);
        st.acls.release(aclId);
        if (EphemeralType.isContainer(owner)) {
            st.containers.remove(path);
        } else if (EphemeralType.isTtl(owner)) {
            st.ttls.remove(path);
        } else if (owner != 0) {
            st.sessions.removeEphemeral(owner, path);
        }
        if (st.tracker != null) {
            st.tracker.acl(aclId);
            st.tracker.removed(path);
            dirty(parent);
        }
        event(EventType.NODE_DELETED, path, acl);
        event(EventType.NODE_CHILDREN_CHANGED, PathRules.displayParent(parentPath), st.acls.get(parent.aclId()));
        return Result.Done.INSTANCE;
    }

    @Override
    public Result setData(NodeView nodeView, String path, byte[] data, int newVersion) {
        Node n = (Node) nodeView;
        int grown = st.tree.setData(n, data, newVersion, zxid, time);
        dirty(n);
        quotas.dataChanged(path, grown);
        event(EventType.NODE_DATA_CHANGED, path, st.acls.get(n.aclId()));
        return new Result.StatOnly(n.stat());
    }

    @Override
    public Result setAcl(NodeView nodeView, String path, List<Acl> acl, int newAversion) {
        Node n = (Node) nodeView;
        int newId = st.acls.retain(acl);
        int oldId = n.aclId();
        st.tree.setAcl(n, newId, newAversion);
        st.acls.release(oldId);
        if (st.tracker != null) {
            st.tracker.acl(newId);
            st.tracker.acl(oldId);
            dirty(n);
        }
        return new Result.StatOnly(n.stat());
    }
}
