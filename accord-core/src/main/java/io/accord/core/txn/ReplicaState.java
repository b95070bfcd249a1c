package io.accord.core.txn;

import io.accord.core.CoreConfig;
import io.accord.core.acl.Acl;
import io.accord.core.acl.AclTable;
import io.accord.core.session.SessionTable;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a replica replicates: the tree, the ACL table, sessions (with their ephemeral index), the container
 * and TTL indexes (sorted path sets, as ZooKeeper's {@code getContainers()/getTtls()}) and the counters. A plain
 * holder; the logic lives in {@link Executor}, {@link WriteOps} and {@link Reads}.
 *
 * <p>Threading: not thread-safe; the owning {@code StateMachine} guards it with a read/write lock.
 */
public final class ReplicaState {
    final CoreConfig config;
    final DataTree tree = new DataTree();
    final AclTable acls = new AclTable();
    final SessionTable sessions = new SessionTable();
    final TreeSet<String> containers = new TreeSet<>();
    final TreeSet<String> ttls = new TreeSet<>();
    final TreeMap<Integer, Long> originSequences = new TreeMap<>();
    long lastZxid;
    long lastTimeMs;
    long lastContainerCheck;
    long appliedPosition;
    ChangeTracker tracker;

    ReplicaState(CoreConfig config) {
        this.config = config;
    }

    /** ZooKeeper's initial tree: {@code /}, {@code /zookeeper}, {@code /zookeeper/quota}, {@code /zookeeper/config}. */
    public static ReplicaState initial(CoreConfig config) {
        ReplicaState st = new ReplicaState(config);
        Node root = st.tree.root();
        st.tree.init(root, 0, 0, 0, 0, 0, 0, 0, 0, 0, st.acls.retain(Acl.OPEN_ACL_UNSAFE));
        Node zk = st.addInitial(root, "zookeeper", "/zookeeper", Acl.OPEN_ACL_UNSAFE, 0);
        st.addInitial(zk, "quota", "/zookeeper/quota", Acl.OPEN_ACL_UNSAFE, 0);
        st.addInitial(zk, "config", "/zookeeper/config", Acl.READ_ACL_UNSAFE, -1);
        return st;
    }

    private Node addInitial(Node parent, String name, String path, List<Acl> acl, int aversion) {
        Node n = tree.insert(parent, name.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0],
                path.length());
        tree.init(n, 0, 0, 0, 0, 0, 0, 0, aversion, 0, acls.retain(acl));
        return n;
    }

    public CoreConfig config() {
        return config;
    }

    public DataTree tree() {
        return tree;
    }

    public AclTable acls() {
        return acls;
    }

    public SessionTable sessions() {
        return sessions;
    }

    public long lastZxid() {
        return lastZxid;
    }

    public long appliedPosition() {
        return appliedPosition;
    }

    /**
     * Whether an entry at {@code position} from {@code origin} with {@code sequence} is new; if so records it
     * (position, log time, origin sequence). Entries at or below the applied position, and resends from an
     * origin, are not.
     */
    public boolean admit(long position, long timeMs, int origin, long sequence) {
        if (position <= appliedPosition) {
            return false;
        }
        appliedPosition = position;
        lastTimeMs = timeMs;
        if (origin == 0) {
            return true;
        }
        Long last = originSequences.get(origin);
        if (last != null && sequence <= last) {
            return false;
        }
        originSequences.put(origin, sequence);
        return true;
    }

    long nextZxid() {
        return ++lastZxid;
    }

    /** Starts recording changes for checkpoints. */
    public void trackChanges() {
        if (tracker == null) {
            tracker = new ChangeTracker();
        }
    }

    public ChangeTracker tracker() {
        return tracker;
    }

    /**
     * Takes the tracked changes and forgets them (call under the read lock); null when changes are not tracked.
     * Emit the result after releasing the lock.
     */
    public ChangeTracker.Capture captureChanges() {
        return tracker == null ? null : tracker.capture(this);
    }
}
