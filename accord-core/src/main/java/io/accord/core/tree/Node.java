package io.accord.core.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One live znode, laid out for a small heap: no path string, one {@code byte[]} holding the name's UTF-8 bytes
 * followed by the data, the stat as primitive fields, an interned ACL id, and the children (if any) in a sorted
 * {@link ChildList}. About 96 bytes of object plus the name+data array on a 64-bit JVM with compressed oops.
 *
 * <p>Threading: mutated only by the apply thread under the replica's write lock, and only through {@link DataTree}
 * (which tells an image being written before a node changes); read under the read lock.
 */
public final class Node implements NodeView {
    private static final byte NULL_DATA = 1;
    private static final byte DIRTY = 2;
    private static final byte REMOVED = 4;

    private Node parent;
    private byte[] bytes;
    private ChildList children;
    private long czxid;
    private long mzxid;
    private long pzxid;
    private long ctime;
    private long mtime;
    private long ephemeralOwner;
    private int version;
    private int childCounter;
    private int aversion;
    private int aclId;
    private int nameLen;
    private byte flags;

    Node(Node parent, byte[] name, byte[] data) {
        this.parent = parent;
        this.nameLen = name.length;
        setBytes(name, 0, name.length, data);
    }

    private void setBytes(byte[] name, int nameOff, int len, byte[] data) {
        int dataLen = data == null ? 0 : data.length;
        byte[] b = new byte[len + dataLen];
        System.arraycopy(name, nameOff, b, 0, len);
        if (dataLen > 0) {
            System.arraycopy(data, 0, b, len, dataLen);
        }
        bytes = b;
        flags = (byte) (data == null ? flags | NULL_DATA : flags & ~NULL_DATA);
    }

    /** Sets every stored field at once (creation and loading); through {@link DataTree#init}. */
    void init(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int childCounter,
            int aversion, long ephemeralOwner, int aclId) {
        this.czxid = czxid;
        this.mzxid = mzxid;
        this.pzxid = pzxid;
        this.ctime = ctime;
        this.mtime = mtime;
        this.version = version;
        this.childCounter = childCounter;
        this.aversion = aversion;
        this.ephemeralOwner = ephemeralOwner;
        this.aclId = aclId;
    }

    public Node parent() {
        return parent;
    }

    public String name() {
        return new String(bytes, 0, nameLen, StandardCharsets.UTF_8);
    }

    int nameLength() {
        return nameLen;
    }

    byte[] rawBytes() {
        return bytes;
    }

    /** Compares this node's name with {@code key[from, to)} as unsigned bytes. */
    int compareName(byte[] key, int from, int to) {
        return Arrays.compareUnsigned(bytes, 0, nameLen, key, from, to);
    }

    /** A copy of the data, or null when the node holds null. */
    public byte[] data() {
        if ((flags & NULL_DATA) != 0) {
            return null;
        }
        return Arrays.copyOfRange(bytes, nameLen, bytes.length);
    }

    public boolean hasNullData() {
        return (flags & NULL_DATA) != 0;
    }

    public int dataLength() {
        return bytes.length - nameLen;
    }

    /** Replaces the data (null allowed); through {@link DataTree#setData}. */
    void setData(byte[] data) {
        setBytes(bytes, 0, nameLen, data);
    }

    public ChildList children() {
        return children;
    }

    void children(ChildList list) {
        this.children = list;
    }

    void detach() {
        parent = null;
        flags |= REMOVED;
    }

    public boolean isRemoved() {
        return (flags & REMOVED) != 0;
    }

    /** Marks the node dirty for change tracking; returns true if it was clean. */
    public boolean markDirty() {
        if ((flags & DIRTY) != 0) {
            return false;
        }
        flags |= DIRTY;
        return true;
    }

    public void clearDirty() {
        flags &= ~DIRTY;
    }

    @Override
    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    @Override
    public long ephemeralOwner() {
        return ephemeralOwner;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public int aversion() {
        return aversion;
    }

    @Override
    public int childCounter() {
        return childCounter;
    }

    public long czxid() {
        return czxid;
    }

    public long mzxid() {
        return mzxid;
    }

    public long pzxid() {
        return pzxid;
    }

    public long ctime() {
        return ctime;
    }

    public long mtime() {
        return mtime;
    }

    public int aclId() {
        return aclId;
    }

    void aclId(int id) {
        this.aclId = id;
    }

    void aversion(int v) {
        this.aversion = v;
    }

    /** setData's stat change: version, mzxid, mtime. */
    void modified(int newVersion, long zxid, long time) {
        this.version = newVersion;
        this.mzxid = zxid;
        this.mtime = time;
    }

    /** A child was created: the counter moves on and pzxid follows. */
    void childCreated(long zxid) {
        childCounter++;
        pzxid = zxid;
    }

    /** A child was deleted: pzxid moves only forward. */
    void childDeleted(long zxid) {
        if (zxid > pzxid) {
            pzxid = zxid;
        }
    }

    /** The stat as a client sees it: visible cversion {@code 2C - numChildren}, owner 0 for containers/TTL. */
    public Stat stat() {
        int n = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * childCounter - n, aversion,
                EphemeralType.visibleOwner(ephemeralOwner), dataLength(), n, pzxid);
    }
}
