package io.accord.core.storage;

import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.util.HashMap;
import java.util.Map;

/**
 * The changes of one or more {@link io.accord.core.Replica#drainChanges} calls, coalesced by key: a later put
 * or remove of the same node, ACL or session replaces an earlier one, and the latest {@link MetaImage} carries
 * the position the whole set reflects. Draining again into a set that could not be written (the store failed)
 * merges the new changes over the old ones, so nothing drained is ever lost.
 *
 * <p>Not thread-safe: filled by one thread (inside {@code drainChanges}, which holds the replica back, so it
 * only records references: about 50–100 ns per change), then handed to {@link CheckpointStore#apply}.
 * A {@code null} map value means "removed".
 */
public final class ChangeSet implements ChangeSink {
    private final Map<String, NodeImage> nodes = new HashMap<>();
    private final Map<Integer, AclImage> acls = new HashMap<>();
    private final Map<Long, SessionImage> sessions = new HashMap<>();
    private MetaImage meta;
    private boolean replacesAll;

    @Override
    public void aclPut(AclImage acl) {
        acls.put(acl.aclId(), acl);
    }

    @Override
    public void aclRemoved(int aclId) {
        acls.put(aclId, null);
    }

    @Override
    public void nodePut(NodeImage node) {
        nodes.put(node.path(), node);
    }

    @Override
    public void nodeRemoved(String path) {
        nodes.put(path, null);
    }

    @Override
    public void sessionPut(SessionImage session) {
        sessions.put(session.sessionId(), session);
    }

    @Override
    public void sessionRemoved(long sessionId) {
        sessions.put(sessionId, null);
    }

    @Override
    public void meta(MetaImage meta) {
        if (this.meta != null && meta.appliedPosition() < this.meta.appliedPosition()) {
            throw new IllegalStateException("change set position went back: " + meta.appliedPosition()
                    + " (expected: >= " + this.meta.appliedPosition() + ")");
        }
        this.meta = meta;
    }

    /**
     * A sink for a full image ({@link io.accord.core.Replica#writeImage}): its records become puts, and the set
     * is marked {@link #replacesAll()}, so a store drops whatever the image does not hold. Used when a store
     * must be rebased onto a replica that was not loaded from it (a snapshot install, a fresh store).
     */
    public ImageSink asImageSink() {
        replacesAll = true;
        return new ImageSink() {
            @Override
            public void meta(MetaImage m) {
                ChangeSet.this.meta(m);
            }

            @Override
            public void acl(AclImage acl) {
                aclPut(acl);
            }

            @Override
            public void node(NodeImage node) {
                nodePut(node);
            }

            @Override
            public void session(SessionImage session) {
                sessionPut(session);
            }
        };
    }

    /**
     * Merges {@code newer} (drained after this set) into this one: its changes replace this set's for the same
     * keys, and its meta becomes this set's. Used to keep a set that failed to write together with what was
     * drained meanwhile.
     */
    public void putAll(ChangeSet newer) {
        if (newer.replacesAll) {
            nodes.clear();
            acls.clear();
            sessions.clear();
            replacesAll = true;
        }
        nodes.putAll(newer.nodes);
        acls.putAll(newer.acls);
        sessions.putAll(newer.sessions);
        if (newer.meta != null) {
            meta(newer.meta);
        }
    }

    /** Whether this set holds a whole image: everything not in it is to be removed from the store. */
    public boolean replacesAll() {
        return replacesAll;
    }

    /** Node puts (value) and removals (null value) by path. */
    public Map<String, NodeImage> nodes() {
        return nodes;
    }

    public Map<Integer, AclImage> acls() {
        return acls;
    }

    public Map<Long, SessionImage> sessions() {
        return sessions;
    }

    /** The position and counters this set brings the store to, or null if no drain reported one yet. */
    public MetaImage meta() {
        return meta;
    }

    /** Whether there is nothing to write: no meta and no changes. */
    public boolean isEmpty() {
        return meta == null && !replacesAll && nodes.isEmpty() && acls.isEmpty() && sessions.isEmpty();
    }

    /**
     * The position this set brings a store at {@code current} to, after checking the set may be applied.
     *
     * @return the new position, or {@code current} when the set is empty
     */
    long targetPosition(long current, String store) {
        if (meta == null) {
            if (size() > 0 || replacesAll) {
                throw new IllegalArgumentException(store + ": change set of " + size()
                        + " changes without meta (expected: a drain that ends with meta)");
            }
            return current;
        }
        if (meta.appliedPosition() < current && !replacesAll) { // a whole image may move a store back
            throw new IllegalStateException(store + ": change set position: " + meta.appliedPosition()
                    + " (expected: >= " + current + ", the store's position)");
        }
        return meta.appliedPosition();
    }

    /** Number of node, ACL and session changes. */
    public int size() {
        return nodes.size() + acls.size() + sessions.size();
    }
}
