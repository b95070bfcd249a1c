package io.accord.core.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One live znode, laid out for a small heap: 32 bytes of object (parent, stored bytes, children, ACL id, flags on a
 * 64-bit JVM with compressed oops) plus one immutable {@code byte[]} that holds, in order:
 * <ol>
 * <li>the name's length (varint) and its UTF-8 bytes;</li>
 * <li>the stat as varints, most of them relative to another field so that the usual values take a byte:
 * czxid, mzxid − czxid, ctime, mtime − ctime, version, aversion (zigzag where negative values are possible), and
 * the raw ephemeral owner (one byte for a persistent node);</li>
 * <li>the data.</li>
 * </ol>
 * pzxid and the child-create counter live in the node's {@link ChildList}, which a node gets with its first child
 * and then keeps; a node that never had one has pzxid = czxid and counter 0. About 85 bytes per znode with an
 * 8-byte value and a short name, against about 130 with the stat as fields.
 *
 * <p>Any change replaces the array, never writes into it, so a reference to it taken under the lock
 * ({@link DataTree#storedBytes}) stays a consistent copy of the name, stat and data afterwards.
 *
 * <p>Threading: mutated only by the apply thread under the replica's write lock, and only through {@link DataTree}
 * (which tells an image being written before a node changes); read under the read lock.
 */
public final class Node implements NodeView {
    private static final byte NULL_DATA = 1;
    private static final byte DIRTY = 2;
    private static final byte REMOVED = 4;

    private static final int CZXID = 0;
    private static final int MZXID_DELTA = 1;
    private static final int CTIME = 2;
    private static final int MTIME_DELTA = 3;
    private static final int VERSION = 4;
    private static final int AVERSION = 5;
    private static final int OWNER = 6;
    private static final int STAT_FIELDS = 7;

    private Node parent;
    private byte[] bytes;
    private ChildList children;
    private int aclId;
    private byte flags;

    Node(Node parent, byte[] name, byte[] data) {
        this.parent = parent;
        this.bytes = build(name, 0, name.length, 0, 0, 0, 0, 0, 0, 0, data, 0, data == null ? 0 : data.length);
        this.flags = data == null ? NULL_DATA : 0;
    }

    /** Sets every stored field at once (creation and loading); through {@link DataTree#init}. */
    void init(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int childCounter,
            int aversion, long ephemeralOwner, int aclId) {
        byte[] b = bytes;
        int nameStart = nameStart(b);
        int dataStart = dataStart(b);
        bytes = build(b, nameStart, nameLength(b), czxid, mzxid, ctime, mtime, version, aversion, ephemeralOwner, b,
                dataStart, b.length - dataStart);
        this.aclId = aclId;
        if (children != null) {
            children.pzxid = pzxid;
            children.counter = childCounter;
        } else if (pzxid != czxid || childCounter != 0) {
            ChildList list = new ChildList();
            list.pzxid = pzxid;
            list.counter = childCounter;
            children = list;
        }
    }

    public Node parent() {
        return parent;
    }

    public String name() {
        return nameOf(bytes);
    }

    /** The name stored in {@code stored} (an array from {@link DataTree#storedBytes}). */
    public static String nameOf(byte[] stored) {
        return new String(stored, nameStart(stored), nameLength(stored), StandardCharsets.UTF_8);
    }

    /**
     * The stat fields and data held in a stored array (from {@link DataTree#storedBytes}); pzxid, the child
     * counter and the ACL id are not in it.
     */
    public record Stored(long czxid, long mzxid, long ctime, long mtime, int version, int aversion,
            long ephemeralOwner, int dataLength, byte[] data) {
    }

    /** Decodes a stored array with a copy of its data (taken under the lock; decoding needs none). */
    public static Stored decode(byte[] stored, boolean nullData) {
        return decode(stored, nullData, true);
    }

    private static Stored decode(byte[] b, boolean nullData, boolean copyData) {
        int p = statStart(b);
        long czxid = varint(b, p);
        p = skip(b, p);
        long mzxid = czxid + unzigzag(varint(b, p));
        p = skip(b, p);
        long ctime = varint(b, p);
        p = skip(b, p);
        long mtime = ctime + unzigzag(varint(b, p));
        p = skip(b, p);
        int version = (int) unzigzag(varint(b, p));
        p = skip(b, p);
        int aversion = (int) unzigzag(varint(b, p));
        p = skip(b, p);
        long owner = varint(b, p);
        p = skip(b, p);
        return new Stored(czxid, mzxid, ctime, mtime, version, aversion, owner, b.length - p,
                nullData || !copyData ? null : Arrays.copyOfRange(b, p, b.length));
    }

    /** A copy of the data part of {@code stored} (an array from {@link DataTree#storedBytes}). */
    public static byte[] dataOf(byte[] stored) {
        return Arrays.copyOfRange(stored, dataStart(stored), stored.length);
    }

    byte[] rawBytes() {
        return bytes;
    }

    /** Where the name starts in {@link #rawBytes}. */
    int nameFrom() {
        return nameStart(bytes);
    }

    /** Where the name ends (exclusive) in {@link #rawBytes}. */
    int nameTo() {
        byte[] b = bytes;
        return nameStart(b) + nameLength(b);
    }

    /** Compares this node's name with {@code key[from, to)} as unsigned bytes. */
    int compareName(byte[] key, int from, int to) {
        byte[] b = bytes;
        int len = b[0];
        if (len >= 0) {
            return Arrays.compareUnsigned(b, 1, 1 + len, key, from, to);
        }
        int start = nameStart(b);
        return Arrays.compareUnsigned(b, start, start + nameLength(b), key, from, to);
    }

    /**
     * Compares this node's name with {@code key[from, to)}, one char per UTF-8 byte (0..255), as unsigned bytes:
     * the same order as {@link #compareName(byte[], int, int)}.
     */
    int compareName(String key, int from, int to) {
        byte[] b = bytes;
        int len = b[0];
        int start = 1;
        if (len < 0) {
            start = nameStart(b);
            len = nameLength(b);
        }
        int keyLen = to - from;
        int common = Math.min(len, keyLen);
        for (int i = 0; i < common; i++) {
            int c = (b[start + i] & 0xFF) - key.charAt(from + i);
            if (c != 0) {
                return c;
            }
        }
        return len - keyLen;
    }

    /** A copy of the data, or null when the node holds null. */
    public byte[] data() {
        if ((flags & NULL_DATA) != 0) {
            return null;
        }
        return dataOf(bytes);
    }

    public boolean hasNullData() {
        return (flags & NULL_DATA) != 0;
    }

    public int dataLength() {
        byte[] b = bytes;
        return b.length - dataStart(b);
    }

    /**
     * Replaces the data (null allowed), keeping the stat; through {@link DataTree#setData}. Returns the length of
     * the data replaced.
     */
    int setData(byte[] data) {
        Stored s = decode(bytes, true, false);
        return setData(data, s.version(), s.mzxid(), s.mtime());
    }

    /**
     * setData's whole change at once: data (null allowed), version, mzxid, mtime. Returns the length of the data
     * replaced (the stat is walked here anyway, so callers need not walk it again for that).
     *
     * <p>The hot write path: the fields that do not change (name, czxid, ctime, aversion, owner) are copied as
     * stored bytes, and only czxid and ctime are decoded, as the bases of the new deltas.
     */
    int setData(byte[] data, int newVersion, long zxid, long time) {
        byte[] b = bytes;
        int czxidAt = statStart(b);
        int mzxidAt = skip(b, czxidAt);
        int ctimeAt = skip(b, mzxidAt);
        int mtimeAt = skip(b, ctimeAt);
        int versionAt = skip(b, mtimeAt);
        int aversionAt = skip(b, versionAt);
        int dataAt = skip(b, skip(b, aversionAt));
        long mzxidDelta = zigzag(zxid - varint(b, czxidAt));
        long mtimeDelta = zigzag(time - varint(b, ctimeAt));
        long v = zigzag(newVersion);
        int dataLen = data == null ? 0 : data.length;
        byte[] n = new byte[mzxidAt + varintSize(mzxidDelta) + (mtimeAt - ctimeAt) + varintSize(mtimeDelta)
                + varintSize(v) + (dataAt - aversionAt) + dataLen];
        System.arraycopy(b, 0, n, 0, mzxidAt);
        int p = putVarint(n, mzxidAt, mzxidDelta);
        System.arraycopy(b, ctimeAt, n, p, mtimeAt - ctimeAt);
        p += mtimeAt - ctimeAt;
        p = putVarint(n, p, mtimeDelta);
        p = putVarint(n, p, v);
        System.arraycopy(b, aversionAt, n, p, dataAt - aversionAt);
        p += dataAt - aversionAt;
        if (dataLen > 0) {
            System.arraycopy(data, 0, n, p, dataLen);
        }
        bytes = n;
        flags = (byte) (data == null ? flags | NULL_DATA : flags & ~NULL_DATA);
        return b.length - dataAt;
    }

    public ChildList children() {
        return children;
    }

    /** The child list, created (empty, carrying pzxid = czxid and counter 0) if the node never had one. */
    ChildList childList() {
        if (children == null) {
            ChildList list = new ChildList();
            list.pzxid = czxid();
            children = list;
        }
        return children;
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
        return field(bytes, OWNER);
    }

    @Override
    public int version() {
        return (int) unzigzag(field(bytes, VERSION));
    }

    @Override
    public int aversion() {
        return (int) unzigzag(field(bytes, AVERSION));
    }

    @Override
    public int childCounter() {
        return children == null ? 0 : children.counter;
    }

    public long czxid() {
        return field(bytes, CZXID);
    }

    public long mzxid() {
        byte[] b = bytes;
        return field(b, CZXID) + unzigzag(field(b, MZXID_DELTA));
    }

    public long pzxid() {
        return children == null ? czxid() : children.pzxid;
    }

    public long ctime() {
        return field(bytes, CTIME);
    }

    public long mtime() {
        byte[] b = bytes;
        return field(b, CTIME) + unzigzag(field(b, MTIME_DELTA));
    }

    public int aclId() {
        return aclId;
    }

    void aclId(int id) {
        this.aclId = id;
    }

    void aversion(int v) {
        byte[] b = bytes;
        Stored s = decode(b, true, false);
        int dataStart = b.length - s.dataLength();
        bytes = build(b, nameStart(b), nameLength(b), s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(), v,
                s.ephemeralOwner(), b, dataStart, s.dataLength());
    }

    /** A child was created: the counter moves on and pzxid follows. */
    void childCreated(long zxid) {
        ChildList list = childList();
        list.counter++;
        list.pzxid = zxid;
    }

    /** A child was deleted: pzxid moves only forward. */
    void childDeleted(long zxid) {
        ChildList list = childList();
        if (zxid > list.pzxid) {
            list.pzxid = zxid;
        }
    }

    /** The stat as a client sees it: visible cversion {@code 2C - numChildren}, owner 0 for containers/TTL. */
    public Stat stat() {
        Stored s = decode(bytes, true, false);
        int n = numChildren();
        long pzxid = children == null ? s.czxid() : children.pzxid;
        int counter = children == null ? 0 : children.counter;
        return new Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(), 2 * counter - n, s.aversion(),
                EphemeralType.visibleOwner(s.ephemeralOwner()), s.dataLength(), n, pzxid);
    }

    // ---- the stored array ----

    private static byte[] build(byte[] name, int nameOff, int nameLen, long czxid, long mzxid, long ctime,
            long mtime, int version, int aversion, long owner, byte[] data, int dataOff, int dataLen) {
        long mzxidDelta = zigzag(mzxid - czxid);
        long mtimeDelta = zigzag(mtime - ctime);
        long v = zigzag(version);
        long av = zigzag(aversion);
        int size = varintSize(nameLen) + nameLen + varintSize(czxid) + varintSize(mzxidDelta) + varintSize(ctime)
                + varintSize(mtimeDelta) + varintSize(v) + varintSize(av) + varintSize(owner) + dataLen;
        byte[] b = new byte[size];
        int p = putVarint(b, 0, nameLen);
        System.arraycopy(name, nameOff, b, p, nameLen);
        p += nameLen;
        p = putVarint(b, p, czxid);
        p = putVarint(b, p, mzxidDelta);
        p = putVarint(b, p, ctime);
        p = putVarint(b, p, mtimeDelta);
        p = putVarint(b, p, v);
        p = putVarint(b, p, av);
        p = putVarint(b, p, owner);
        if (dataLen > 0) {
            System.arraycopy(data, dataOff, b, p, dataLen);
        }
        return b;
    }

    private static int nameLength(byte[] b) {
        return (int) varint(b, 0);
    }

    private static int nameStart(byte[] b) {
        return skip(b, 0);
    }

    private static int statStart(byte[] b) {
        int len = b[0];
        return len >= 0 ? 1 + len : nameStart(b) + nameLength(b);
    }

    private static int dataStart(byte[] b) {
        int p = statStart(b);
        for (int i = 0; i < STAT_FIELDS; i++) {
            p = skip(b, p);
        }
        return p;
    }

    /** The raw varint of stat field {@code index}. */
    private static long field(byte[] b, int index) {
        int p = statStart(b);
        for (int i = 0; i < index; i++) {
            p = skip(b, p);
        }
        return varint(b, p);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int varintSize(long v) {
        int size = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            size++;
        }
        return size;
    }

    private static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static long varint(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }

    private static int skip(byte[] b, int p) {
        while (b[p++] < 0) {
            // continuation bytes
        }
        return p;
    }
}
