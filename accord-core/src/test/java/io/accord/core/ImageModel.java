package io.accord.core;

import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * A store model for tests: takes a full image (ImageSink) or incremental changes (ChangeSink) into sorted maps,
 * and renders everything as text so two states can be compared exactly (records with byte[] compare by reference).
 */
final class ImageModel implements ImageSink, ChangeSink {
    final TreeMap<Integer, String> acls = new TreeMap<>();
    final TreeMap<String, String> nodes = new TreeMap<>();
    final TreeMap<Long, String> sessions = new TreeMap<>();
    String meta;
    int nodeOrderViolations;
    private final java.util.TreeSet<String> seen = new java.util.TreeSet<>();

    static ImageModel of(StateMachine sm) {
        ImageModel m = new ImageModel();
        sm.writeImage(m);
        return m;
    }

    private static String render(NodeImage n) {
        return n.path() + " data=" + (n.data() == null ? "null" : Arrays.toString(n.data())) + " cz=" + n.czxid()
                + " mz=" + n.mzxid() + " pz=" + n.pzxid() + " ct=" + n.ctime() + " mt=" + n.mtime() + " v="
                + n.version() + " c=" + n.cversionCounter() + " av=" + n.aversion() + " owner=" + n.ephemeralOwner()
                + " acl=" + n.aclId();
    }

    private static String render(SessionImage s) {
        return s.sessionId() + " t=" + s.timeoutMs() + " pw=" + Arrays.toString(s.password()) + " owner=" + s.owner()
                + " deadline=" + s.deadlineMs();
    }

    @Override
    public void meta(MetaImage m) {
        meta = m.toString();
    }

    @Override
    public void acl(AclImage acl) {
        acls.put(acl.aclId(), acl.acl().toString());
    }

    @Override
    public void node(NodeImage n) {
        String parent = n.path().equals("/") ? null : n.path().substring(0, Math.max(1, n.path().lastIndexOf('/')));
        if (parent != null && !seen.contains(parent)) {
            nodeOrderViolations++;
        }
        seen.add(n.path());
        nodes.put(n.path(), render(n));
    }

    @Override
    public void session(SessionImage s) {
        sessions.put(s.sessionId(), render(s));
    }

    @Override
    public void aclPut(AclImage acl) {
        acl(acl);
    }

    @Override
    public void aclRemoved(int aclId) {
        acls.remove(aclId);
    }

    @Override
    public void nodePut(NodeImage n) {
        nodes.put(n.path(), render(n));
    }

    @Override
    public void nodeRemoved(String path) {
        nodes.remove(path);
    }

    @Override
    public void sessionPut(SessionImage s) {
        sessions.put(s.sessionId(), render(s));
    }

    @Override
    public void sessionRemoved(long sessionId) {
        sessions.remove(sessionId);
    }

    String render() {
        return "meta " + meta + "\nacls " + acls + "\nnodes " + String.join("\n", nodes.values()) + "\nsessions "
                + sessions.values();
    }
}
