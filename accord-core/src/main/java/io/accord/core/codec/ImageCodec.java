package io.accord.core.codec;

import io.accord.core.acl.Acl;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Binary forms of the image records, shared by the snapshot format ({@link SnapshotCodec}) and the checkpoint
 * stores. All integers little-endian; {@code string}, {@code bytes} and lists as in {@link LogEntryCodec}.
 *
 * <h2>Node key</h2>
 * {@code utf8(parent) 0x00 utf8(name)}; the root is the single byte {@code 0x00}. All children of P are the keys
 * with prefix {@code utf8(P) 0x00}, contiguous and sorted by unsigned bytes, and every node's key sorts before
 * the keys of all its descendants (at the first byte where they differ the node has {@code 0x00}, a descendant
 * {@code '/'}), so an ordered scan yields parents before children.
 *
 * <h2>Node value (the path lives in the key)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          czxid (int64)                        |  0
 *  +---------------------------------------------------------------+
 *  |                          mzxid (int64)                        |  8
 *  +---------------------------------------------------------------+
 *  |                          pzxid (int64)                        |  16
 *  +---------------------------------------------------------------+
 *  |                          ctime (int64)                        |  24
 *  +---------------------------------------------------------------+
 *  |                          mtime (int64)                        |  32
 *  +---------------------------------------------------------------+
 *  |                         version (int32)                       |  40
 *  +---------------------------------------------------------------+
 *  |                     cversionCounter (int32)                   |  44
 *  +---------------------------------------------------------------+
 *  |                         aversion (int32)                      |  48
 *  +---------------------------------------------------------------+
 *  |                     ephemeralOwner (int64)                    |  52
 *  +---------------------------------------------------------------+
 *  |                          aclId (int32)                        |  60
 *  +---------------------------------------------------------------+
 *  |                 data length (int32, -1 = null)                |  64
 *  +---------------------------------------------------------------+
 *  |                          data ...                             |  68 NODE_FIXED_LENGTH
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Other values</h2>
 * <pre>
 *  acl list   := list&lt;perms:int32 scheme:string id:string&gt;
 *  session    := timeoutMs:int32 owner:int32 deadlineMs:int64 password:bytes     (the id lives in the key)
 *  meta       := appliedPosition:int64 lastZxid:int64 lastSessionId:int64 lastTimeMs:int64
 *                lastContainerCheck:int64 originSequences:list&lt;origin:int32 sequence:int64&gt;
 *  session key:= sessionId:int64 big-endian, sign bit flipped (unsigned order = numeric order)
 *  acl key    := aclId:int32 big-endian, sign bit flipped
 * </pre>
 *
 * <p>Stateless and thread-safe. Each encode allocates exactly one array of the value's size; decode allocates
 * only the decoded objects and checks every length against the input first.
 */
public final class ImageCodec {
    public static final int CZXID_OFFSET = 0;
    public static final int MZXID_OFFSET = 8;
    public static final int PZXID_OFFSET = 16;
    public static final int CTIME_OFFSET = 24;
    public static final int MTIME_OFFSET = 32;
    public static final int VERSION_OFFSET = 40;
    public static final int CVERSION_COUNTER_OFFSET = 44;
    public static final int AVERSION_OFFSET = 48;
    public static final int EPHEMERAL_OWNER_OFFSET = 52;
    public static final int ACL_ID_OFFSET = 60;
    public static final int DATA_LENGTH_OFFSET = 64;
    public static final int NODE_FIXED_LENGTH = 68;

    private static final byte[] ROOT_KEY = {0};

    private ImageCodec() {
    }

    // ---- keys ----

    /** The ordered store key of {@code path}: {@code utf8(parent) 0x00 utf8(name)}, or {@code 0x00} for "/". */
    public static byte[] nodeKey(String path) {
        if (path.length() == 1 && path.charAt(0) == '/') {
            return ROOT_KEY.clone();
        }
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        int slash = lastSlash(p, path);
        if (slash == 0) { // a child of the root: "/" 0x00 name
            byte[] key = new byte[p.length + 1];
            key[0] = '/';
            System.arraycopy(p, 1, key, 2, p.length - 1);
            return key;
        }
        p[slash] = 0; // the parent is the path up to the last slash
        return p;
    }

    private static int lastSlash(byte[] p, String path) {
        int slash = -1;
        for (int i = p.length - 1; i >= 0; i--) {
            byte c = p[i];
            if (c == 0) {
                throw new IllegalArgumentException("path contains NUL: " + path);
            }
            if (c == '/' && slash < 0) {
                slash = i;
            }
        }
        if (slash < 0 || p[0] != '/' || slash == p.length - 1) {
            throw new IllegalArgumentException("not an absolute znode path: " + path);
        }
        return slash;
    }

    /** The path of a key made by {@link #nodeKey}. */
    public static String pathOfKey(byte[] key, int offset, int length) {
        int nul = -1;
        for (int i = offset; i < offset + length; i++) {
            if (key[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            throw new CorruptDataException("node key: no 0x00 separator in " + length + " bytes");
        }
        if (length == 1) {
            return "/";
        }
        if (nul == offset + 1 && key[offset] == '/') { // child of the root: drop the separator
            byte[] p = new byte[length - 1];
            p[0] = '/';
            System.arraycopy(key, offset + 2, p, 1, length - 2);
            return new String(p, StandardCharsets.UTF_8);
        }
        if (nul == offset || key[offset] != '/') {
            throw new CorruptDataException("node key: parent part does not start with '/'");
        }
        byte[] p = new byte[length];
        System.arraycopy(key, offset, p, 0, length);
        p[nul - offset] = '/';
        return new String(p, StandardCharsets.UTF_8);
    }

    /** 8 bytes whose unsigned order is the numeric order of {@code id}. */
    public static byte[] sessionKey(long sessionId) {
        byte[] k = new byte[8];
        long v = sessionId ^ Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            k[i] = (byte) v;
            v >>>= 8;
        }
        return k;
    }

    public static long sessionIdOfKey(byte[] key, int offset, int length) {
        if (length != 8) {
            throw new CorruptDataException("session key length: " + length + " (expected: 8)");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (key[offset + i] & 0xFF);
        }
        return v ^ Long.MIN_VALUE;
    }

    public static byte[] aclKey(int aclId) {
        int v = aclId ^ Integer.MIN_VALUE;
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    public static int aclIdOfKey(byte[] key, int offset, int length) {
        if (length != 4) {
            throw new CorruptDataException("acl key length: " + length + " (expected: 4)");
        }
        int v = ((key[offset] & 0xFF) << 24) | ((key[offset + 1] & 0xFF) << 16) | ((key[offset + 2] & 0xFF) << 8)
                | (key[offset + 3] & 0xFF);
        return v ^ Integer.MIN_VALUE;
    }

    // ---- node ----

    /** The value of a node (everything but the path). */
    public static byte[] nodeValue(NodeImage n) {
        byte[] data = n.data();
        byte[] v = new byte[NODE_FIXED_LENGTH + (data == null ? 0 : data.length)];
        ByteBuffer b = ByteBuffer.wrap(v);
        writeNodeFixed(b, 0, n);
        if (data != null) {
            System.arraycopy(data, 0, v, NODE_FIXED_LENGTH, data.length);
        }
        return v;
    }

    static void writeNodeFixed(ByteBuffer b, int at, NodeImage n) {
        WireWriter.LONG.set(b, at + CZXID_OFFSET, n.czxid());
        WireWriter.LONG.set(b, at + MZXID_OFFSET, n.mzxid());
        WireWriter.LONG.set(b, at + PZXID_OFFSET, n.pzxid());
        WireWriter.LONG.set(b, at + CTIME_OFFSET, n.ctime());
        WireWriter.LONG.set(b, at + MTIME_OFFSET, n.mtime());
        WireWriter.INT.set(b, at + VERSION_OFFSET, n.version());
        WireWriter.INT.set(b, at + CVERSION_COUNTER_OFFSET, n.cversionCounter());
        WireWriter.INT.set(b, at + AVERSION_OFFSET, n.aversion());
        WireWriter.LONG.set(b, at + EPHEMERAL_OWNER_OFFSET, n.ephemeralOwner());
        WireWriter.INT.set(b, at + ACL_ID_OFFSET, n.aclId());
        WireWriter.INT.set(b, at + DATA_LENGTH_OFFSET, n.data() == null ? -1 : n.data().length);
    }

    public static NodeImage decodeNode(String path, byte[] value, int offset, int length) {
        return readNode(path, ByteBuffer.wrap(value), offset, length, "node " + path);
    }

    static NodeImage readNode(String path, ByteBuffer b, int at, int length, String what) {
        if (length < NODE_FIXED_LENGTH) {
            throw new CorruptDataException(what + ": value length: " + length + " (expected: >= " + NODE_FIXED_LENGTH + ")");
        }
        int dataLength = (int) WireWriter.INT.get(b, at + DATA_LENGTH_OFFSET);
        int expected = NODE_FIXED_LENGTH + Math.max(dataLength, 0);
        if (dataLength < -1 || expected != length) {
            throw new CorruptDataException(what + ": data length: " + dataLength + " (expected: "
                    + (length - NODE_FIXED_LENGTH) + " for a value of " + length + " bytes)");
        }
        byte[] data = null;
        if (dataLength >= 0) {
            data = new byte[dataLength];
            b.get(at + NODE_FIXED_LENGTH, data);
        }
        return new NodeImage(path, data,
                (long) WireWriter.LONG.get(b, at + CZXID_OFFSET),
                (long) WireWriter.LONG.get(b, at + MZXID_OFFSET),
                (long) WireWriter.LONG.get(b, at + PZXID_OFFSET),
                (long) WireWriter.LONG.get(b, at + CTIME_OFFSET),
                (long) WireWriter.LONG.get(b, at + MTIME_OFFSET),
                (int) WireWriter.INT.get(b, at + VERSION_OFFSET),
                (int) WireWriter.INT.get(b, at + CVERSION_COUNTER_OFFSET),
                (int) WireWriter.INT.get(b, at + AVERSION_OFFSET),
                (long) WireWriter.LONG.get(b, at + EPHEMERAL_OWNER_OFFSET),
                (int) WireWriter.INT.get(b, at + ACL_ID_OFFSET));
    }

    // ---- acl, session, meta ----

    public static byte[] aclValue(List<Acl> acl) {
        WireWriter w = WireWriter.growable(64);
        w.putAcls(acl, "acl");
        return copy(w);
    }

    public static List<Acl> decodeAcl(byte[] value, int offset, int length, String what) {
        WireReader r = new WireReader(ByteBuffer.wrap(value), offset, offset + length, what);
        List<Acl> acl = r.readAcls("acl");
        r.expectEnd();
        return acl;
    }

    public static byte[] sessionValue(SessionImage s) {
        WireWriter w = WireWriter.growable(16 + 4 + (s.password() == null ? 0 : s.password().length));
        writeSession(w, s);
        return copy(w);
    }

    static void writeSession(WireWriter w, SessionImage s) {
        w.putInt(s.timeoutMs());
        w.putInt(s.owner());
        w.putLong(s.deadlineMs());
        w.putBytes(s.password());
    }

    public static SessionImage decodeSession(long sessionId, byte[] value, int offset, int length) {
        WireReader r = new WireReader(ByteBuffer.wrap(value), offset, offset + length, "session " + sessionId);
        SessionImage s = readSession(r, sessionId);
        r.expectEnd();
        return s;
    }

    static SessionImage readSession(WireReader r, long sessionId) {
        int timeout = r.readInt("timeoutMs");
        int owner = r.readInt("owner");
        long deadline = r.readLong("deadlineMs");
        byte[] password = r.readBytes("password");
        return new SessionImage(sessionId, timeout, password, owner, deadline);
    }

    public static byte[] metaValue(MetaImage m) {
        WireWriter w = WireWriter.growable(64);
        writeMeta(w, m);
        return copy(w);
    }

    static void writeMeta(WireWriter w, MetaImage m) {
        w.putLong(m.appliedPosition());
        w.putLong(m.lastZxid());
        w.putLong(m.lastSessionId());
        w.putLong(m.lastTimeMs());
        w.putLong(m.lastContainerCheck());
        SortedMap<Integer, Long> seq = m.originSequences();
        if (seq == null) {
            w.putInt(-1);
            return;
        }
        w.putInt(seq.size());
        for (Map.Entry<Integer, Long> e : seq.entrySet()) {
            w.putInt(e.getKey());
            w.putLong(e.getValue());
        }
    }

    public static MetaImage decodeMeta(byte[] value, int offset, int length) {
        WireReader r = new WireReader(ByteBuffer.wrap(value), offset, offset + length, "meta");
        MetaImage m = readMeta(r);
        r.expectEnd();
        return m;
    }

    static MetaImage readMeta(WireReader r) {
        long applied = r.readLong("appliedPosition");
        long zxid = r.readLong("lastZxid");
        long sessionId = r.readLong("lastSessionId");
        long time = r.readLong("lastTimeMs");
        long check = r.readLong("lastContainerCheck");
        int n = r.readCount("originSequences", 12);
        TreeMap<Integer, Long> seq = null;
        if (n >= 0) {
            seq = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                int origin = r.readInt("origin");
                seq.put(origin, r.readLong("sequence"));
            }
        }
        return new MetaImage(applied, zxid, sessionId, time, check, seq);
    }

    private static byte[] copy(WireWriter w) {
        byte[] v = new byte[w.position()];
        System.arraycopy(w.array(), 0, v, 0, v.length);
        return v;
    }
}
