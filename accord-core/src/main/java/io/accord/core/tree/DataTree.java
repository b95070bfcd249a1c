package io.accord.core.tree;

import java.nio.charset.StandardCharsets;

/**
 * The znode tree: a root {@link Node}, lookups that walk path components comparing UTF-8 bytes (no path strings
 * are stored), insertion and removal of children, and the counters ZooKeeper reports (node count, approximate
 * data size). Lookup costs O(depth · log(children)); insert/remove O(log n) plus the array move of
 * {@link ChildList}.
 *
 * <p>Threading: not thread-safe. Mutated by the apply thread under the replica's write lock, read under its read
 * lock.
 */
public final class DataTree {
    private static final Keeper[] NO_KEEPERS = new Keeper[0];

    private Node root;
    private int nodeCount;
    private long approximateDataSize;
    private Keeper[] keepers = NO_KEEPERS;

    /**
     * Told just before a node's stored state (stat, data, ACL id or set of children) changes, so that an image
     * being written while applies go on can keep what the node was. Called on the apply thread under the write
     * lock; not called for a node that is being created or loaded (no image can hold it yet).
     */
    public interface Keeper {
        void beforeChange(Node n);
    }

    /** Registers a keeper (call under the replica's write lock). */
    public void addKeeper(Keeper k) {
        Keeper[] a = java.util.Arrays.copyOf(keepers, keepers.length + 1);
        a[keepers.length] = k;
        keepers = a;
    }

    /** Unregisters a keeper (call under the replica's write lock); unknown keepers are ignored. */
    public void removeKeeper(Keeper k) {
        for (int i = 0; i < keepers.length; i++) {
            if (keepers[i] == k) {
                Keeper[] a = new Keeper[keepers.length - 1];
                System.arraycopy(keepers, 0, a, 0, i);
                System.arraycopy(keepers, i + 1, a, i, a.length - i);
                keepers = a;
                return;
            }
        }
    }

    private void changing(Node n) {
        for (Keeper k : keepers) {
            k.beforeChange(n);
        }
    }

    /** An empty tree holding only a root with the given data and stat (fill it with {@link Node#init}). */
    public DataTree() {
        root = new Node(null, new byte[0], new byte[0]);
        nodeCount = 1;
        approximateDataSize = 1;
    }

    public Node root() {
        return root;
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long approximateDataSize() {
        return approximateDataSize;
    }

    /**
     * The node at {@code path}, or null. As in ZooKeeper, both "" and "/" name the root; any other path must be
     * '/' followed by non-empty components.
     */
    public Node find(String path) {
        if (path == null) {
            return null;
        }
        if (path.isEmpty() || path.equals("/")) {
            return root;
        }
        if (path.charAt(0) != '/') {
            return null;
        }
        String key = path;
        if (!isAscii(path)) {
            byte[] utf8 = Utf8.encode(path);
            if (utf8 == null) {
                return null;
            }
            // one char per UTF-8 byte; '/' stays '/', as no byte of a multi-byte sequence is below 0x80
            key = new String(utf8, StandardCharsets.ISO_8859_1);
        }
        Node n = root;
        int from = 1;
        int len = key.length();
        while (true) {
            int to = key.indexOf('/', from);
            if (to < 0) {
                to = len;
            }
            if (to == from) {
                return null;
            }
            ChildList kids = n.children();
            if (kids == null) {
                return null;
            }
            int i = kids.search(key, from, to);
            if (i < 0) {
                return null;
            }
            n = kids.get(i);
            if (to == len) {
                return n;
            }
            from = to + 1;
        }
    }

    /**
     * Whether {@code s} is all ASCII, the usual path: then its chars are already its UTF-8 bytes, and {@link #find}
     * compares it with the stored names as it is. Encoding a copy of every path was 7% of the apply thread's
     * allocation in a create workload, and as much again in CPU with the encoding pass.
     */
    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The child of {@code parent} named {@code name}, or null. */
    public Node child(Node parent, byte[] name) {
        ChildList kids = parent.children();
        if (kids == null) {
            return null;
        }
        int i = kids.search(name, 0, name.length);
        return i < 0 ? null : kids.get(i);
    }

    /**
     * Adds a child named {@code name} (which must not exist) and returns it with a zero stat; the caller sets the
     * stat with {@link Node#init}. The parent's child counter and pzxid are not touched (see {@link #created}).
     *
     * @param pathLength the full path length in chars, for {@link #approximateDataSize()}
     */
    public Node insert(Node parent, byte[] name, byte[] data, int pathLength) {
        changing(parent);
        ChildList kids = parent.childList();
        int i = kids.search(name, 0, name.length);
        if (i >= 0) {
            throw new IllegalStateException("node exists: " + new String(name, StandardCharsets.UTF_8));
        }
        Node n = new Node(parent, name, data);
        kids.insert(-(i + 1), n);
        nodeCount++;
        approximateDataSize += pathLength + n.dataLength();
        return n;
    }

    /** The parent's side of a create transaction: counter + 1, pzxid = zxid. */
    public void created(Node parent, long zxid) {
        changing(parent);
        parent.childCreated(zxid);
    }

    /** Removes a childless node; the parent's pzxid moves to {@code zxid} if larger. */
    public void remove(Node n, int pathLength, long zxid) {
        Node parent = n.parent();
        changing(parent);
        ChildList kids = parent.children();
        int i = kids == null ? -1 : kids.search(n.rawBytes(), n.nameFrom(), n.nameTo());
        if (i < 0 || kids.get(i) != n) {
            throw new IllegalStateException("not a child of its parent: " + n.name());
        }
        kids.remove(i);
        parent.childDeleted(zxid);
        nodeCount--;
        approximateDataSize -= pathLength + n.dataLength();
        n.detach();
    }

    /** Replaces a node's data, keeping the size counter right. */
    public void setData(Node n, byte[] data) {
        changing(n);
        approximateDataSize += length(data) - n.setData(data);
    }

    /**
     * Sets every stored field of a node that was just inserted, is being loaded or belongs to a tree nobody reads
     * yet (see {@link Node#init}); keepers are not told.
     */
    public void init(Node n, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
            int childCounter, int aversion, long ephemeralOwner, int aclId) {
        n.init(czxid, mzxid, pzxid, ctime, mtime, version, childCounter, aversion, ephemeralOwner, aclId);
    }

    /**
     * setData: the data (null allowed) with version, mzxid and mtime, keeping the size counter right. Returns how
     * many bytes the data grew by (negative when it shrank).
     */
    public int setData(Node n, byte[] data, int newVersion, long zxid, long time) {
        changing(n);
        int grown = length(data) - n.setData(data, newVersion, zxid, time);
        approximateDataSize += grown;
        return grown;
    }

    private static int length(byte[] data) {
        return data == null ? 0 : data.length;
    }

    /** setACL's change: the node's ACL id and aversion. */
    public void setAcl(Node n, int aclId, int newAversion) {
        changing(n);
        n.aclId(aclId);
        n.aversion(newAversion);
    }

    /** Rebuilds the full path of a live node by walking to the root. */
    public static String pathOf(Node n) {
        if (n.parent() == null) {
            return "/";
        }
        int length = 0;
        for (Node x = n; x.parent() != null; x = x.parent()) {
            length += 1 + x.nameTo() - x.nameFrom();
        }
        byte[] utf8 = new byte[length];
        int end = length;
        for (Node x = n; x.parent() != null; x = x.parent()) {
            int from = x.nameFrom();
            int nameLength = x.nameTo() - from;
            end -= nameLength;
            System.arraycopy(x.rawBytes(), from, utf8, end, nameLength);
            utf8[--end] = '/';
        }
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The stored bytes of {@code n}: its name, stat and data (see {@link Node}; read them with
     * {@link Node#nameOf} and {@link Node#dataOf}). The array is replaced, never changed, when the node changes,
     * so a reference taken under the lock stays valid after it.
     */
    public static byte[] storedBytes(Node n) {
        return n.rawBytes();
    }

    /** Number of descendants of {@code n} (the whole subtree minus the node). Walks the subtree iteratively. */
    public static int descendants(Node n) {
        int count = 0;
        java.util.ArrayList<Node> todo = new java.util.ArrayList<>();
        todo.add(n);
        while (!todo.isEmpty()) {
            Node x = todo.remove(todo.size() - 1);
            ChildList kids = x.children();
            if (kids == null) {
                continue;
            }
            count += kids.size();
            for (int i = 0; i < kids.size(); i++) {
                Node k = kids.get(i);
                if (k.children() != null) {
                    todo.add(k);
                }
            }
        }
        return count;
    }

    /**
     * Visits every node parent-before-child (pre-order), children in name order, with the node's full path.
     * Iterative, so deep trees cannot overflow the stack.
     */
    public void walk(Visitor v) {
        v.visit("/", root);
        Node[] nodes = new Node[16];
        int[] next = new int[16];
        int[] pathLen = new int[16];
        int depth = 0;
        nodes[0] = root;
        StringBuilder sb = new StringBuilder(128);
        while (depth >= 0) {
            Node n = nodes[depth];
            ChildList kids = n.children();
            int i = next[depth];
            if (kids == null || i >= kids.size()) {
                depth--;
                continue;
            }
            next[depth] = i + 1;
            Node k = kids.get(i);
            sb.setLength(pathLen[depth]);
            sb.append('/').append(k.name());
            v.visit(sb.toString(), k);
            if (k.children() != null) {
                depth++;
                if (depth == nodes.length) {
                    nodes = java.util.Arrays.copyOf(nodes, depth * 2);
                    next = java.util.Arrays.copyOf(next, depth * 2);
                    pathLen = java.util.Arrays.copyOf(pathLen, depth * 2);
                }
                nodes[depth] = k;
                next[depth] = 0;
                pathLen[depth] = sb.length();
            }
        }
    }

    /** Receives nodes from {@link #walk}. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String path, Node node);
    }
}
