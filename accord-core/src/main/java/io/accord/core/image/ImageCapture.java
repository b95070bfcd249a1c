package io.accord.core.image;

import io.accord.core.tree.ChildList;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * An image of the replicated state as it was at one moment, written out while applies go on.
 *
 * <p>The small parts (meta, ACL table, sessions) are copied when the capture begins. The tree is walked in steps:
 * each {@link #nextNodes} call visits a few hundred nodes under the replica's read lock, and applies run between
 * calls. The capture is a {@link DataTree.Keeper}: before the apply thread changes a node for the first time after
 * the capture began, it keeps a copy of the node's stored state and of its child array. The walk reads a node from
 * that copy if there is one and from the live node otherwise (it then has not changed yet). Children come from the
 * parent's kept array or from a copy of its live list taken when the walk visits the parent, so nodes created later
 * are never reached and nodes deleted later still are. A node's name and data bytes are never changed in place (new
 * data replaces the array), so keeping the reference is enough.
 *
 * <p>Cost: one kept copy per node changed during the walk (its child array included), released at {@link #end}.
 *
 * <p>Threading: {@link #beforeChange} runs on the apply thread under the write lock; {@link #nextNodes} under the
 * read lock, from one thread; the rest on that thread without the lock.
 */
public final class ImageCapture implements DataTree.Keeper {
    /** A node's state before its first change: the immutable stored array and what is kept outside it. */
    private record Kept(byte[] bytes, boolean nullData, long pzxid, int childCounter, int aclId, Node[] children) {
    }

    private static final Node[] NO_CHILDREN = new Node[0];

    private final MetaImage meta;
    private final List<AclImage> acls;
    private final List<SessionImage> sessions;
    private final DataTree tree;
    private final IdentityHashMap<Node, Kept> kept = new IdentityHashMap<>();

    private Node[][] levels = new Node[16][];
    private int[] next = new int[16];
    private int[] pathLength = new int[16];
    private int depth = -1;
    private boolean rootVisited;
    private final StringBuilder path = new StringBuilder(128);

    /** Begins a capture of {@code tree}; call under the write lock and register it with {@link DataTree#addKeeper}. */
    public ImageCapture(MetaImage meta, List<AclImage> acls, List<SessionImage> sessions, DataTree tree) {
        this.meta = meta;
        this.acls = acls;
        this.sessions = sessions;
        this.tree = tree;
    }

    public DataTree tree() {
        return tree;
    }

    /** Writes the meta and the ACL table as they were when the capture began. */
    public void writeHead(ImageSink sink) {
        sink.meta(meta);
        for (AclImage a : acls) {
            sink.acl(a);
        }
    }

    /** Writes the sessions as they were when the capture began. */
    public void writeTail(ImageSink sink) {
        for (SessionImage s : sessions) {
            sink.session(s);
        }
    }

    /** Nodes changed since the capture began (kept copies held). */
    public int keptCount() {
        return kept.size();
    }

    @Override
    public void beforeChange(Node n) {
        if (kept.containsKey(n)) {
            return;
        }
        ChildList kids = n.children();
        kept.put(n, new Kept(DataTree.storedBytes(n), n.hasNullData(), n.pzxid(), n.childCounter(), n.aclId(),
                kids == null ? NO_CHILDREN : kids.toArray()));
    }

    /**
     * Appends up to {@code max} more nodes of the image to {@code out}, parents before children and children in
     * name order (the order of {@link DataTree#walk}). Call under the replica's read lock.
     *
     * @return false once the walk is over
     */
    public boolean nextNodes(int max, List<NodeImage> out) {
        int visited = 0;
        if (!rootVisited) {
            rootVisited = true;
            Node root = tree.root();
            out.add(image("/", root));
            push(root, 0);
            visited++;
        }
        while (depth >= 0 && visited < max) {
            Node[] kids = levels[depth];
            int i = next[depth];
            if (i >= kids.length) {
                levels[depth] = null;
                depth--;
                continue;
            }
            next[depth] = i + 1;
            Node k = kids[i];
            path.setLength(pathLength[depth]);
            path.append('/').append(k.name());
            out.add(image(path.toString(), k));
            push(k, path.length());
            visited++;
        }
        return depth >= 0;
    }

    private void push(Node n, int length) {
        Kept c = kept.get(n);
        Node[] kids;
        if (c != null) {
            kids = c.children;
        } else {
            ChildList live = n.children();
            kids = live == null ? NO_CHILDREN : live.toArray();
        }
        if (kids.length == 0) {
            return;
        }
        depth++;
        if (depth == levels.length) {
            levels = Arrays.copyOf(levels, depth * 2);
            next = Arrays.copyOf(next, depth * 2);
            pathLength = Arrays.copyOf(pathLength, depth * 2);
        }
        levels[depth] = kids;
        next[depth] = 0;
        pathLength[depth] = length;
    }

    private NodeImage image(String p, Node n) {
        Kept c = kept.get(n);
        Node.Stored s = Node.decode(c != null ? c.bytes : DataTree.storedBytes(n),
                c != null ? c.nullData : n.hasNullData());
        long pzxid = c != null ? c.pzxid : n.pzxid();
        int counter = c != null ? c.childCounter : n.childCounter();
        int aclId = c != null ? c.aclId : n.aclId();
        return new NodeImage(p, s.data(), s.czxid(), s.mzxid(), pzxid, s.ctime(), s.mtime(), s.version(), counter,
                s.aversion(), s.ephemeralOwner(), aclId);
    }
}
