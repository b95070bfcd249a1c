package io.accord.core.txn;

import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.CoreConfig;
import io.accord.core.session.Session;
import io.accord.core.tree.EphemeralType;
import io.accord.core.tree.Node;
import io.accord.core.tree.PathRules;
import io.accord.core.tree.Utf8;

/**
 * Rebuilds a {@link ReplicaState} from an image: meta, ACLs, nodes (parent before child; any child order) and
 * sessions, rebuilding the derived parts (ACL reference counts, ephemeral/container/TTL indexes, counters).
 * Consecutive siblings reuse the last parent found, so loading a pre-order image costs O(n log fan-out).
 *
 * <p>Threading: one thread; the state is not visible to anyone until {@link #finish}.
 */
public final class ImageLoader implements ImageSink {
    private final ReplicaState st;
    private boolean rootSeen;
    private String lastParentPath;
    private Node lastParent;

    public ImageLoader(CoreConfig config) {
        this.st = new ReplicaState(config);
    }

    @Override
    public void meta(MetaImage m) {
        st.appliedPosition = m.appliedPosition();
        st.lastZxid = m.lastZxid();
        st.sessions.lastSessionId(m.lastSessionId());
        st.lastTimeMs = m.lastTimeMs();
        st.lastContainerCheck = m.lastContainerCheck();
        st.originSequences.clear();
        if (m.originSequences() != null) {
            st.originSequences.putAll(m.originSequences());
        }
    }

    @Override
    public void acl(AclImage a) {
        st.acls.load(a.aclId(), a.acl());
    }

    @Override
    public void node(NodeImage img) {
        String path = img.path();
        Node n;
        if (path.equals("/")) {
            if (rootSeen) {
                throw new IllegalArgumentException("root loaded twice");
            }
            rootSeen = true;
            n = st.tree.root();
            st.tree.setData(n, img.data());
        } else {
            if (!PathRules.isValid(path)) {
                throw new IllegalArgumentException("invalid path in image: " + path);
            }
            String parentPath = PathRules.parentOf(path);
            Node parent = parentPath.equals(lastParentPath) ? lastParent : st.tree.find(parentPath);
            if (parent == null || !rootSeen) {
                throw new IllegalArgumentException("parent not loaded before child: " + path);
            }
            lastParentPath = parentPath;
            lastParent = parent;
            n = st.tree.insert(parent, Utf8.encode(path.substring(path.lastIndexOf('/') + 1)), img.data(),
                    path.length());
        }
        st.acls.retain(img.aclId());
        st.tree.init(n, img.czxid(), img.mzxid(), img.pzxid(), img.ctime(), img.mtime(), img.version(),
                img.cversionCounter(), img.aversion(), img.ephemeralOwner(), img.aclId());
        long owner = img.ephemeralOwner();
        if (EphemeralType.isContainer(owner)) {
            st.containers.add(path);
        } else if (EphemeralType.isTtl(owner)) {
            st.ttls.add(path);
        } else if (owner != 0) {
            st.sessions.addEphemeral(owner, path);
        }
    }

    @Override
    public void session(SessionImage s) {
        st.sessions.put(new Session(s.sessionId(), s.timeoutMs(), s.password(), s.owner(), s.deadlineMs()));
    }

    /** The loaded state; the loader must not be used afterwards. */
    public ReplicaState finish() {
        if (!rootSeen) {
            throw new IllegalStateException("image has no root node");
        }
        st.acls.dropUnreferenced();
        return st;
    }
}
