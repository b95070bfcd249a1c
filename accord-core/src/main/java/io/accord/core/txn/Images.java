package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageCapture;
import io.accord.core.image.MetaImage;
import io.accord.core.image.SessionImage;
import io.accord.core.session.Session;
import io.accord.core.tree.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Begins images of a replica's state (meta, ACLs in id order, nodes parent-before-child with children in name
 * order, sessions in id order; written by {@link ImageCapture}), and computes its digest over the same canonical
 * walk in O(state).
 *
 * <p>Threading: {@link #begin} and {@link #end} under the replica's write lock, {@link #digest} under its read
 * lock.
 */
public final class Images {
    private Images() {
    }

    static MetaImage meta(ReplicaState st) {
        return new MetaImage(st.appliedPosition, st.lastZxid, st.sessions.lastSessionId(), st.lastTimeMs,
                st.lastContainerCheck, new TreeMap<>(st.originSequences));
    }

    /**
     * Begins an image of the state as it is now, to be written while applies go on (see {@link ImageCapture}):
     * copies meta, ACLs and sessions, and registers the capture with the tree. Call under the write lock, and
     * {@link #end} under it too when done.
     */
    public static ImageCapture begin(ReplicaState st) {
        List<AclImage> acls = new ArrayList<>(st.acls.size());
        st.acls.forEach((id, acl) -> acls.add(new AclImage(id, acl)));
        List<SessionImage> sessions = new ArrayList<>(st.sessions.size());
        for (Session s : st.sessions.all()) {
            sessions.add(new SessionImage(s.id(), s.timeoutMs(), s.password().clone(), s.owner(), s.deadlineMs()));
        }
        ImageCapture capture = new ImageCapture(meta(st), acls, sessions, st.tree);
        st.tree.addKeeper(capture);
        return capture;
    }

    /** Ends a capture begun with {@link #begin}: the tree stops keeping copies for it. */
    public static void end(ImageCapture capture) {
        capture.tree().removeKeeper(capture);
    }

    /**
     * A 64-bit digest of the canonical serialization: every node (pre-order, children by name) with its path,
     * every stored stat field, data (null distinct from empty) and ACL contents; every session; the counters.
     * ACL ids and derived indexes are not part of it.
     */
    public static long digest(ReplicaState st) {
        Hasher h = new Hasher();
        st.tree.walk((path, n) -> {
            h.string(path);
            h.bytes(n.hasNullData() ? null : n.data());
            h.longValue(n.czxid());
            h.longValue(n.mzxid());
            h.longValue(n.pzxid());
            h.longValue(n.ctime());
            h.longValue(n.mtime());
            h.longValue(n.version());
            h.longValue(n.childCounter());
            h.longValue(n.aversion());
            h.longValue(n.ephemeralOwner());
            h.longValue(n.numChildren());
            List<Acl> acl = st.acls.get(n.aclId());
            h.longValue(acl.size());
            for (Acl a : acl) {
                h.longValue(a.perms());
                h.string(a.id().scheme());
                h.string(a.id().id());
            }
        });
        h.longValue(st.sessions.size());
        for (Session s : st.sessions.all()) {
            h.longValue(s.id());
            h.longValue(s.timeoutMs());
            h.bytes(s.password());
            h.longValue(s.owner());
            h.longValue(s.deadlineMs());
        }
        h.longValue(st.appliedPosition);
        h.longValue(st.lastZxid);
        h.longValue(st.sessions.lastSessionId());
        h.longValue(st.lastTimeMs);
        h.longValue(st.lastContainerCheck);
        st.originSequences.forEach((origin, seq) -> {
            h.longValue(origin);
            h.longValue(seq);
        });
        return h.value();
    }

    /** A simple streaming 64-bit hash (multiply-rotate mixing with a final avalanche). Not cryptographic. */
    static final class Hasher {
        private static final long P1 = 0x9E3779B97F4A7C15L;
        private static final long P2 = 0xC2B2AE3D27D4EB4FL;
        private long h = 0x27D4EB2F165667C5L;

        void longValue(long v) {
            h = Long.rotateLeft(h ^ (v * P2), 31) * P1;
        }

        void bytes(byte[] b) {
            if (b == null) {
                longValue(-1);
                return;
            }
            longValue(b.length);
            int i = 0;
            for (; i + 8 <= b.length; i += 8) {
                long v = 0;
                for (int j = 0; j < 8; j++) {
                    v = (v << 8) | (b[i + j] & 0xFF);
                }
                longValue(v);
            }
            long v = 0;
            for (; i < b.length; i++) {
                v = (v << 8) | (b[i] & 0xFF);
            }
            longValue(v);
        }

        void string(String s) {
            longValue(s.length());
            for (int i = 0; i < s.length(); i++) {
                longValue(s.charAt(i));
            }
        }

        long value() {
            long x = h;
            x ^= x >>> 33;
            x *= 0xFF51AFD7ED558CCDL;
            x ^= x >>> 33;
            x *= 0xC4CEB9FE1A85EC53L;
            x ^= x >>> 33;
            return x;
        }
    }
}
