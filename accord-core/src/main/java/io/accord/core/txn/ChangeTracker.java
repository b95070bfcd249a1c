package io.accord.core.txn;

import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.session.Session;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Records what apply changed since the last drain, cheaply: a dirty bit on each changed node plus a list of those
 * nodes (so a node changed 10,000 times is listed once), a list of removed paths, and sorted sets of touched
 * ACL ids and session ids. The removed paths are sorted and their repeats dropped only when emitted, after the
 * lock: a sorted set cost every delete a dozen comparisons of long common prefixes (3% of a member's CPU in a
 * create-and-delete workload); a list costs an append. (Not a hash set: apply code uses no hash-ordered
 * collections, see DeterminismRulesTest, even where, as here, the order is not used.)
 * {@link #capture} and {@link Capture#emit} turn them into coalesced images: ACL puts, node removals (children before
 * parents), node puts (parents before children, latest form), ACL removals, session changes, then meta.
 *
 * <p>Threading: recorded by the apply thread under the write lock; captured under the read lock, which excludes
 * apply, so the two never run at once; the capture is emitted afterwards by the draining thread alone.
 */
public final class ChangeTracker {
    private final ArrayList<Node> dirtyNodes = new ArrayList<>();
    /** Replaced, not cleared, by each capture: a cleared list would keep the size of the largest burst. */
    private ArrayList<String> removedPaths = new ArrayList<>();
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

    /**
     * Takes what was recorded, then forgets it. Call under the read lock: it only copies references and the stat
     * fields of each changed node (plus its path), so apply waits as little as possible; the expensive part
     * (copying data, building images, sorting) is {@link Capture#emit}, which runs after the lock is released.
     */
    Capture capture(ReplicaState st) {
        ArrayList<AclImage> aclPuts = new ArrayList<>();
        ArrayList<Integer> aclRemovals = new ArrayList<>();
        for (Integer id : acls) {
            if (st.acls.contains(id)) {
                aclPuts.add(new AclImage(id, st.acls.get(id)));
            } else {
                aclRemovals.add(id);
            }
        }
        ArrayList<Frozen> nodes = new ArrayList<>(dirtyNodes.size());
        for (Node n : dirtyNodes) {
            n.clearDirty();
            if (!n.isRemoved()) {
                nodes.add(new Frozen(DataTree.pathOf(n), DataTree.storedBytes(n), n.hasNullData(), n.pzxid(),
                        n.childCounter(), n.aclId()));
            }
        }
        ArrayList<SessionImage> sessionPuts = new ArrayList<>();
        ArrayList<Long> sessionRemovals = new ArrayList<>();
        for (Long id : sessions) {
            Session s = st.sessions.get(id);
            if (s != null) {
                sessionPuts.add(new SessionImage(s.id(), s.timeoutMs(), s.password().clone(), s.owner(),
                        s.deadlineMs()));
            } else {
                sessionRemovals.add(id);
            }
        }
        Capture capture = new Capture(aclPuts, removedPaths, nodes, aclRemovals,
                sessionPuts, sessionRemovals, Images.meta(st));
        dirtyNodes.clear();
        removedPaths = new ArrayList<>();
        acls.clear();
        sessions.clear();
        return capture;
    }

    /**
     * One changed node's state at the capture: the immutable stored array (name, most of the stat, data; see
     * {@link DataTree#storedBytes}) and the three fields kept outside it. Decoded after the lock is released.
     */
    private record Frozen(String path, byte[] bytes, boolean nullData, long pzxid, int childCounter, int aclId) {
        NodeImage image() {
            Node.Stored s = Node.decode(bytes, nullData);
            return new NodeImage(path, s.data(), s.czxid(), s.mzxid(), pzxid, s.ctime(), s.mtime(), s.version(),
                    childCounter, s.aversion(), s.ephemeralOwner(), aclId);
        }
    }

    /** The changes of one drain, at one position, ready to be emitted without holding any lock. */
    public static final class Capture {
        private final List<AclImage> aclPuts;
        private final List<String> removedPaths;
        private final List<Frozen> nodes;
        private final List<Integer> aclRemovals;
        private final List<SessionImage> sessionPuts;
        private final List<Long> sessionRemovals;
        private final MetaImage meta;

        private Capture(List<AclImage> aclPuts, List<String> removedPaths, List<Frozen> nodes,
                List<Integer> aclRemovals, List<SessionImage> sessionPuts, List<Long> sessionRemovals,
                MetaImage meta) {
            this.aclPuts = aclPuts;
            this.removedPaths = removedPaths;
            this.nodes = nodes;
            this.aclRemovals = aclRemovals;
            this.sessionPuts = sessionPuts;
            this.sessionRemovals = sessionRemovals;
            this.meta = meta;
        }

        /**
         * Emits ACL puts, node removals (children before parents), node puts (parents before children), ACL
         * removals, session changes, then meta.
         */
        public void emit(ChangeSink sink) {
            aclPuts.forEach(sink::aclPut);
            removedPaths.sort(Comparator.reverseOrder()); // a child's path sorts after its parent's
            String last = null;
            for (String path : removedPaths) {
                if (!path.equals(last)) { // a path removed several times since the last drain is reported once
                    sink.nodeRemoved(path);
                }
                last = path;
            }
            nodes.sort(Comparator.comparing(Frozen::path));
            for (Frozen f : nodes) {
                sink.nodePut(f.image());
            }
            aclRemovals.forEach(sink::aclRemoved);
            sessionPuts.forEach(sink::sessionPut);
            sessionRemovals.forEach(sink::sessionRemoved);
            sink.meta(meta);
        }
    }
}
