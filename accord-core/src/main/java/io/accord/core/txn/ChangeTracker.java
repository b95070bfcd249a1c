package io.accord.core.txn;

import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.SessionImage;
import io.accord.core.session.Session;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * Records what apply changed since the last drain, cheaply: a dirty bit on each changed node plus a list of those
 * nodes (so a node changed 10,000 times is listed once), and sorted sets of removed paths, touched ACL ids and
 * touched session ids. {@link #drain} turns them into coalesced images: ACL puts, node removals (children before
 * parents), node puts (parents before children, latest form), ACL removals, session changes, then meta.
 *
 * <p>Threading: recorded by the apply thread under the write lock; drained under the read lock, which excludes
 * apply, so the two never run at once.
 */
public final class ChangeTracker {
    private final ArrayList<Node> dirtyNodes = new ArrayList<>();
    private final TreeSet<String> removedPaths = new TreeSet<>();
    private final TreeSet<Integer> acls = new TreeSet<>();
    private final TreeSet<Long> sessions = new TreeSet<>();

    void node(Node n) {
        if (n.markDirty()) {
            dirtyNodes.add(n);
        }
    }

    void removed(String path) {
        removedPaths.add(path);
    }

    void acl(int id) {
        acls.add(id);
    }

    void session(long id) {
        sessions.add(id);
    }

    /** Emits everything recorded, then forgets it. */
    void drain(ReplicaState st, ChangeSink sink) {
        for (Integer id : acls) {
            if (st.acls.contains(id)) {
                sink.aclPut(new AclImage(id, st.acls.get(id)));
            }
        }
        for (String path : removedPaths.descendingSet()) {
            sink.nodeRemoved(path);
        }
        ArrayList<String> paths = new ArrayList<>(dirtyNodes.size());
        ArrayList<Node> live = new ArrayList<>(dirtyNodes.size());
        for (Node n : dirtyNodes) {
            n.clearDirty();
            if (!n.isRemoved()) {
                paths.add(DataTree.pathOf(n));
                live.add(n);
            }
        }
        Integer[] order = new Integer[paths.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> paths.get(a).compareTo(paths.get(b)));
        for (Integer i : order) {
            sink.nodePut(Images.node(paths.get(i), live.get(i)));
        }
        for (Integer id : acls) {
            if (!st.acls.contains(id)) {
                sink.aclRemoved(id);
            }
        }
        for (Long id : sessions) {
            Session s = st.sessions.get(id);
            if (s != null) {
                sink.sessionPut(new SessionImage(s.id(), s.timeoutMs(), s.password().clone(), s.owner(),
                        s.deadlineMs()));
            } else {
                sink.sessionRemoved(id);
            }
        }
        sink.meta(Images.meta(st));
        dirtyNodes.clear();
        removedPaths.clear();
        acls.clear();
        sessions.clear();
    }
}
