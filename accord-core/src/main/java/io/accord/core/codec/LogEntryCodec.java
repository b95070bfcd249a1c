package io.accord.core.codec;

import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Accord's own versioned binary format of a {@link LogEntry}: what the replicated log carries (not jute).
 *
 * <h2>Frame</h2>
 * An SBE-style header followed by the body; all integers little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Body Length (int32)                      |  0  BODY_LENGTH_OFFSET
 *  +-------------------------------+-------------------------------+
 *  |      Template Id (uint16)     |    Schema Version (uint16)    |  4  TEMPLATE_ID_OFFSET, VERSION_OFFSET
 *  +-------------------------------+-------------------------------+
 *  |                        CRC32C (int32)                         |  8  CRC_OFFSET
 *  +---------------------------------------------------------------+
 *  |                        Body                                 ...  12 HEADER_LENGTH
 *  ...                                                             |
 *  +---------------------------------------------------------------+
 * </pre>
 * The CRC32C covers header bytes 0..7 and the whole body, so a flipped bit anywhere, a wrong length, template or
 * version is detected. The frame length is exactly {@code HEADER_LENGTH + bodyLength}.
 *
 * <h2>Body of template 1 ({@link #TEMPLATE_LOG_ENTRY}), schema version 2 (written) and 1 (still read)</h2>
 * <pre>
 *  entry   := origin:int32 sequence:int64 requests:list&lt;request&gt;
 *  request := flags:uint8 [origin:int32] requestIdDelta:zigzag [sessionId:int64] [authIds:list&lt;id&gt;] op  (v2)
 *    flags bit 0 ({@link #SAME_ORIGIN}): origin omitted, it is the entry's
 *    flags bit 1 ({@link #SAME_AUTH_IDS}): authIds omitted, they equal the previous request's in this entry
 *    flags bit 2 ({@link #SAME_SESSION}): sessionId omitted, it is the previous request's in this entry
 *    other bits: zero
 *    requestIdDelta: the request id minus the previous request's in this entry (0 before the first), wrapping
 *  request := origin:int32 requestId:int64 sessionId:int64 authIds:list&lt;id&gt; op                   (version 1)
 *  id      := scheme:string id:string
 *  acl     := perms:int32 scheme:string id:string
 *  op      := type:uint8 fields...         (type codes below)
 *    1 create           opcode:int32 path:string data:bytes acl:list&lt;acl&gt; flags:int32 ttl:int64
 *    2 delete           path:string version:int32
 *    3 setData          path:string data:bytes version:int32
 *    4 setACL           path:string acl:list&lt;acl&gt; version:int32
 *    5 check            path:string version:int32
 *    6 deleteContainer  path:string
 *    7 multi            ops:list&lt;op&gt;     (nesting at most {@link #MAX_MULTI_DEPTH} deep)
 *    8 sync             path:string
 *    9 createSession    timeoutMs:int32 password:bytes
 *   10 reattachSession  timeoutMs:int32 password:bytes
 *   11 closeSession
 *   12 touch            sessionIds:long[]
 *   13 tick
 *   14 resetDeadlines
 *  string  := length:int32 (-1 = null) utf8 bytes
 *  bytes   := length:int32 (-1 = null) bytes
 *  long[]  := count:int32 (-1 = null) int64 ...
 *  list&lt;T&gt; := count:int32 (-1 = null) T ...
 *  varint  := unsigned LEB128 of the 64 bits: 7 bits a byte, low first, high bit set on all but the last
 *  zigzag  := varint of (v &lt;&lt; 1) ^ (v &gt;&gt; 63): small negative and positive values take one byte
 * </pre>
 * Version 2 drops what a batch of requests from one member repeats: the origin (the submitting member's), the id
 * list (every connection from one host carries the same {@code ip} id) and the session of a connection's
 * consecutive requests, and writes request ids, which a member numbers in order, as differences. A {@code setData}
 * of 8 bytes on a 16-character path, from a member's batch, is 47 bytes instead of 80 (39 after a request of the
 * same session): less to send to each member, record and (in persistent mode) fsync.
 *
 * <p>A member writes version 2 and reads both, so an upgraded member replays a log written before; a member of an
 * older build stops at the first version 2 entry ("unsupported schema version"). Upgrade every member of a cluster
 * before it takes writes again.
 *
 * <p>Null and empty are distinct for every string, byte array, long array and list; list elements are never null.
 *
 * <p>Threading and cost: stateless and thread-safe. Encoding writes straight into the caller's buffer: no
 * allocation per field (strings are UTF-8 encoded char by char), one CRC32C pass over the frame. Decoding
 * verifies length, template, version and CRC before it decodes anything, then allocates only the decoded
 * objects; every length is checked against the bytes left before allocating.
 */
public final class LogEntryCodec {
    public static final int BODY_LENGTH_OFFSET = 0;
    public static final int TEMPLATE_ID_OFFSET = 4;
    public static final int VERSION_OFFSET = 6;
    public static final int CRC_OFFSET = 8;
    public static final int HEADER_LENGTH = 12;

    public static final int TEMPLATE_LOG_ENTRY = 1;
    /** The version {@link #encode} writes. */
    public static final int SCHEMA_VERSION = 2;
    /** The first version, still decoded: logs written before version 2 replay after an upgrade. */
    public static final int SCHEMA_VERSION_1 = 1;
    /** Request flag (version 2): the request's origin is the entry's and is not written. */
    static final int SAME_ORIGIN = 1;
    /** Request flag (version 2): the request's id list equals the previous request's and is not written. */
    static final int SAME_AUTH_IDS = 2;
    /** Request flag (version 2): the request's session is the previous request's and is not written. */
    static final int SAME_SESSION = 4;
    private static final int FLAGS_V2 = SAME_ORIGIN | SAME_AUTH_IDS | SAME_SESSION;
    /** The largest frame {@link #decode} accepts unless told otherwise (64 MiB). */
    public static final int DEFAULT_MAX_ENTRY_LENGTH = 64 << 20;
    public static final int MAX_MULTI_DEPTH = 8;
    /** The smallest body: origin, sequence, request count. */
    public static final int MIN_BODY_LENGTH = 16;

    static final int OP_CREATE = 1;
    static final int OP_DELETE = 2;
    static final int OP_SET_DATA = 3;
    static final int OP_SET_ACL = 4;
    static final int OP_CHECK = 5;
    static final int OP_DELETE_CONTAINER = 6;
    static final int OP_MULTI = 7;
    static final int OP_SYNC = 8;
    static final int OP_CREATE_SESSION = 9;
    static final int OP_REATTACH_SESSION = 10;
    static final int OP_CLOSE_SESSION = 11;
    static final int OP_TOUCH = 12;
    static final int OP_TICK = 13;
    static final int OP_RESET_DEADLINES = 14;

    /** Smallest encoding of a request: flags, request id delta, op type (version 2; larger in version 1). */
    private static final int MIN_REQUEST_BYTES = 1 + 1 + 1;
    /** Version 1: origin, requestId, sessionId, authIds count, op type. */
    private static final int MIN_REQUEST_BYTES_V1 = 4 + 8 + 8 + 4 + 1;

    private LogEntryCodec() {
    }

    /**
     * Encodes {@code entry} into {@code dst} at absolute {@code index}, up to {@code dst.limit()}; the buffer's
     * position is not changed. Works with heap and direct buffers.
     *
     * @return the frame length written
     * @throws IndexOutOfBoundsException if the frame does not fit (size a buffer with {@link #encodedLength})
     * @throws IllegalArgumentException  if the entry holds a null op or a null list element
     */
    public static int encode(LogEntry entry, ByteBuffer dst, int index) {
        return encode(entry, dst, index, SCHEMA_VERSION);
    }

    /** Encodes in {@code version} ({@link #SCHEMA_VERSION} or {@link #SCHEMA_VERSION_1}): for tests of old logs. */
    static int encode(LogEntry entry, ByteBuffer dst, int index, int version) {
        WireWriter w = WireWriter.bounded(dst, index);
        w.reset(index + HEADER_LENGTH);
        writeBody(entry, w, version);
        int bodyLength = w.position() - index - HEADER_LENGTH;
        w.putIntAt(index + BODY_LENGTH_OFFSET, bodyLength);
        WireWriter.SHORT.set(dst, index + TEMPLATE_ID_OFFSET, (short) TEMPLATE_LOG_ENTRY);
        WireWriter.SHORT.set(dst, index + VERSION_OFFSET, (short) version);
        w.putIntAt(index + CRC_OFFSET, crc(dst, index, bodyLength));
        return HEADER_LENGTH + bodyLength;
    }

    /** Encodes into {@code dst} at {@code offset}; see {@link #encode(LogEntry, ByteBuffer, int)}. */
    public static int encode(LogEntry entry, byte[] dst, int offset) {
        return encode(entry, ByteBuffer.wrap(dst), offset);
    }

    /** Encodes into a new array of exactly the frame's length (for tests and cold paths). */
    public static byte[] encode(LogEntry entry) {
        byte[] frame = new byte[encodedLength(entry)];
        encode(entry, frame, 0);
        return frame;
    }

    /** The exact frame length of {@code entry}, computed without allocating. */
    public static int encodedLength(LogEntry entry) {
        long n = HEADER_LENGTH + 4 + 8 + 4;
        List<Request> requests = entry.requests();
        if (requests != null) {
            Request previous = null;
            for (Request r : requests) {
                if (r == null) {
                    continue; // encode reports it
                }
                int flags = flags(entry, previous, r);
                n += 1 + ((flags & SAME_ORIGIN) != 0 ? 0 : 4)
                        + WireWriter.varLongLength(zigzag(r.requestId() - previousId(previous)))
                        + ((flags & SAME_SESSION) != 0 ? 0 : 8)
                        + ((flags & SAME_AUTH_IDS) != 0 ? 0 : idsLength(r.authIds())) + opLength(r.op(), 0);
                previous = r;
            }
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entry length: " + n + " (expected: <= " + Integer.MAX_VALUE + ")");
        }
        return (int) n;
    }

    /** Decodes one frame of exactly {@code length} bytes; see {@link #decode(ByteBuffer, int, int, int)}. */
    public static LogEntry decode(byte[] src, int offset, int length) {
        return decode(ByteBuffer.wrap(src), offset, length, DEFAULT_MAX_ENTRY_LENGTH);
    }

    public static LogEntry decode(ByteBuffer src, int index, int length) {
        return decode(src, index, length, DEFAULT_MAX_ENTRY_LENGTH);
    }

    /**
     * Decodes one frame occupying exactly {@code length} bytes at absolute {@code index} of {@code src}.
     * Length, template, version and CRC are verified before any field is decoded.
     *
     * @throws CorruptDataException naming what is wrong, if the frame is truncated, too long, corrupt, of an
     *                              unknown template or an unsupported version
     */
    public static LogEntry decode(ByteBuffer src, int index, int length, int maxLength) {
        if (length < HEADER_LENGTH + MIN_BODY_LENGTH) {
            throw new CorruptDataException("log entry: entry length: " + length + " (expected: >= "
                    + (HEADER_LENGTH + MIN_BODY_LENGTH) + ")");
        }
        if (length > maxLength) {
            throw new CorruptDataException(
                    "log entry: entry length: " + length + " (expected: <= " + maxLength + ")");
        }
        if (index < 0 || (long) index + length > src.limit()) {
            throw new IndexOutOfBoundsException(
                    "frame [" + index + ", " + ((long) index + length) + ") outside buffer limit " + src.limit());
        }
        int bodyLength = (int) WireWriter.INT.get(src, index + BODY_LENGTH_OFFSET);
        if (bodyLength != length - HEADER_LENGTH) {
            throw new CorruptDataException("log entry: body length: " + bodyLength + " (expected: "
                    + (length - HEADER_LENGTH) + " for an entry of " + length + " bytes)");
        }
        int template = (short) WireWriter.SHORT.get(src, index + TEMPLATE_ID_OFFSET) & 0xFFFF;
        if (template != TEMPLATE_LOG_ENTRY) {
            throw new CorruptDataException(
                    "log entry: unknown template id: " + template + " (expected: " + TEMPLATE_LOG_ENTRY + ")");
        }
        int version = (short) WireWriter.SHORT.get(src, index + VERSION_OFFSET) & 0xFFFF;
        if (version != SCHEMA_VERSION && version != SCHEMA_VERSION_1) {
            throw new CorruptDataException("log entry: unsupported schema version: " + version + " (expected: "
                    + SCHEMA_VERSION_1 + " or " + SCHEMA_VERSION + "; written by a newer Accord? upgrade this node)");
        }
        int stored = (int) WireWriter.INT.get(src, index + CRC_OFFSET);
        int actual = crc(src, index, bodyLength);
        if (stored != actual) {
            throw new CorruptDataException("log entry: crc mismatch: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString(actual) + " over " + length + " bytes");
        }
        WireReader r = new WireReader(src, index + HEADER_LENGTH, index + length, "log entry");
        LogEntry entry = readBody(r, version);
        r.expectEnd();
        return entry;
    }

    private static int crc(ByteBuffer buf, int index, int bodyLength) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buf.duplicate();
        view.limit(index + CRC_OFFSET).position(index);
        crc.update(view);
        view.limit(index + HEADER_LENGTH + bodyLength).position(index + HEADER_LENGTH);
        crc.update(view);
        return (int) crc.getValue();
    }

    // ---- encoding ----

    /**
     * The version 2 flags of {@code r}, the request after {@code previous} (null for the first) in {@code entry}.
     * Id lists are compared by identity first: the requests of one connection share one list.
     */
    private static int flags(LogEntry entry, Request previous, Request r) {
        int flags = r.origin() == entry.origin() ? SAME_ORIGIN : 0;
        if (previous != null) {
            if (r.sessionId() == previous.sessionId()) {
                flags |= SAME_SESSION;
            }
            List<io.accord.core.acl.Id> ids = r.authIds();
            List<io.accord.core.acl.Id> before = previous.authIds();
            if (ids == before || (ids != null && ids.equals(before))) {
                flags |= SAME_AUTH_IDS;
            }
        }
        return flags;
    }

    /** The request id a version 2 request id is written relative to: the previous request's, or 0. */
    private static long previousId(Request previous) {
        return previous == null ? 0 : previous.requestId();
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeBody(LogEntry entry, WireWriter w, int version) {
        w.putInt(entry.origin());
        w.putLong(entry.sequence());
        List<Request> requests = entry.requests();
        if (requests == null) {
            w.putInt(-1);
            return;
        }
        int n = requests.size();
        w.putInt(n);
        Request previous = null;
        for (int i = 0; i < n; i++) {
            Request r = requests.get(i);
            if (r == null) {
                throw new IllegalArgumentException("requests[" + i + "] is null");
            }
            if (version == SCHEMA_VERSION_1) {
                w.putInt(r.origin());
                w.putLong(r.requestId());
                w.putLong(r.sessionId());
                w.putIds(r.authIds(), "authIds");
            } else {
                int flags = flags(entry, previous, r);
                w.putByte(flags);
                if ((flags & SAME_ORIGIN) == 0) {
                    w.putInt(r.origin());
                }
                w.putVarLong(zigzag(r.requestId() - previousId(previous)));
                if ((flags & SAME_SESSION) == 0) {
                    w.putLong(r.sessionId());
                }
                if ((flags & SAME_AUTH_IDS) == 0) {
                    w.putIds(r.authIds(), "authIds");
                }
            }
            writeOp(r.op(), w, 0);
            previous = r;
        }
    }

    private static void writeOp(Op op, WireWriter w, int depth) {
        if (op == null) {
            throw new IllegalArgumentException("op is null");
        }
        if (op instanceof Op.Create c) {
            w.putByte(OP_CREATE);
            w.putInt(c.opcode());
            w.putString(c.path());
            w.putBytes(c.data());
            w.putAcls(c.acl(), "create.acl");
            w.putInt(c.flags());
            w.putLong(c.ttl());
        } else if (op instanceof Op.Delete d) {
            w.putByte(OP_DELETE);
            w.putString(d.path());
            w.putInt(d.version());
        } else if (op instanceof Op.SetData s) {
            w.putByte(OP_SET_DATA);
            w.putString(s.path());
            w.putBytes(s.data());
            w.putInt(s.version());
        } else if (op instanceof Op.SetAcl s) {
            w.putByte(OP_SET_ACL);
            w.putString(s.path());
            w.putAcls(s.acl(), "setACL.acl");
            w.putInt(s.version());
        } else if (op instanceof Op.Check c) {
            w.putByte(OP_CHECK);
            w.putString(c.path());
            w.putInt(c.version());
        } else if (op instanceof Op.DeleteContainer d) {
            w.putByte(OP_DELETE_CONTAINER);
            w.putString(d.path());
        } else if (op instanceof Op.Multi m) {
            if (depth >= MAX_MULTI_DEPTH) {
                throw new IllegalArgumentException("multi depth: " + (depth + 1) + " (expected: <= " + MAX_MULTI_DEPTH + ")");
            }
            w.putByte(OP_MULTI);
            List<Op> ops = m.ops();
            if (ops == null) {
                w.putInt(-1);
            } else {
                int n = ops.size();
                w.putInt(n);
                for (int i = 0; i < n; i++) {
                    writeOp(ops.get(i), w, depth + 1);
                }
            }
        } else if (op instanceof Op.Sync s) {
            w.putByte(OP_SYNC);
            w.putString(s.path());
        } else if (op instanceof Op.CreateSession c) {
            w.putByte(OP_CREATE_SESSION);
            w.putInt(c.timeoutMs());
            w.putBytes(c.password());
        } else if (op instanceof Op.ReattachSession c) {
            w.putByte(OP_REATTACH_SESSION);
            w.putInt(c.timeoutMs());
            w.putBytes(c.password());
        } else if (op instanceof Op.CloseSession) {
            w.putByte(OP_CLOSE_SESSION);
        } else if (op instanceof Op.Touch t) {
            w.putByte(OP_TOUCH);
            w.putLongs(t.sessionIds());
        } else if (op instanceof Op.Tick) {
            w.putByte(OP_TICK);
        } else if (op instanceof Op.ResetDeadlines) {
            w.putByte(OP_RESET_DEADLINES);
        } else {
            throw new IllegalArgumentException("op without a wire type: " + op.getClass().getName());
        }
    }

    // ---- length ----

    private static long idsLength(List<io.accord.core.acl.Id> ids) {
        long n = 4;
        if (ids != null) {
            for (io.accord.core.acl.Id id : ids) {
                n += id == null ? 0 : stringLength(id.scheme()) + stringLength(id.id());
            }
        }
        return n;
    }

    private static long aclsLength(List<io.accord.core.acl.Acl> acls) {
        long n = 4;
        if (acls != null) {
            for (io.accord.core.acl.Acl acl : acls) {
                n += acl == null ? 0 : 4 + stringLength(acl.id().scheme()) + stringLength(acl.id().id());
            }
        }
        return n;
    }

    private static long bytesLength(byte[] b) {
        return 4 + (b == null ? 0 : b.length);
    }

    static long stringLength(String s) {
        if (s == null) {
            return 4;
        }
        long n = 4;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static long opLength(Op op, int depth) {
        if (op instanceof Op.Create c) {
            return 1 + 4 + stringLength(c.path()) + bytesLength(c.data()) + aclsLength(c.acl()) + 4 + 8;
        } else if (op instanceof Op.Delete d) {
            return 1 + stringLength(d.path()) + 4;
        } else if (op instanceof Op.SetData s) {
            return 1 + stringLength(s.path()) + bytesLength(s.data()) + 4;
        } else if (op instanceof Op.SetAcl s) {
            return 1 + stringLength(s.path()) + aclsLength(s.acl()) + 4;
        } else if (op instanceof Op.Check c) {
            return 1 + stringLength(c.path()) + 4;
        } else if (op instanceof Op.DeleteContainer d) {
            return 1 + stringLength(d.path());
        } else if (op instanceof Op.Multi m) {
            long n = 1 + 4;
            if (m.ops() != null) {
                for (Op o : m.ops()) {
                    n += opLength(o, depth + 1);
                }
            }
            return n;
        } else if (op instanceof Op.Sync s) {
            return 1 + stringLength(s.path());
        } else if (op instanceof Op.CreateSession c) {
            return 1 + 4 + bytesLength(c.password());
        } else if (op instanceof Op.ReattachSession c) {
            return 1 + 4 + bytesLength(c.password());
        } else if (op instanceof Op.Touch t) {
            return 1 + 4 + (t.sessionIds() == null ? 0 : 8L * t.sessionIds().length);
        } else {
            return 1; // closeSession, tick, resetDeadlines; a null op fails in encode
        }
    }

    // ---- decoding ----

    private static LogEntry readBody(WireReader r, int version) {
        int origin = r.readInt("origin");
        long sequence = r.readLong("sequence");
        int n = r.readCount("requests", version == SCHEMA_VERSION_1 ? MIN_REQUEST_BYTES_V1 : MIN_REQUEST_BYTES);
        if (n < 0) {
            return new LogEntry(origin, sequence, null);
        }
        Request[] requests = new Request[n];
        List<io.accord.core.acl.Id> previousIds = null;
        long previousId = 0;
        long previousSession = 0;
        for (int i = 0; i < n; i++) {
            int reqOrigin;
            long requestId;
            long sessionId;
            List<io.accord.core.acl.Id> authIds;
            if (version == SCHEMA_VERSION_1) {
                reqOrigin = r.readInt("request.origin");
                requestId = r.readLong("request.requestId");
                sessionId = r.readLong("request.sessionId");
                authIds = r.readIds("request.authIds");
            } else {
                int flags = r.readByte("request.flags");
                if ((flags & ~FLAGS_V2) != 0) {
                    throw r.corrupt("request.flags: 0x" + Integer.toHexString(flags)
                            + " (expected: bits 0 to 2 only)");
                }
                if ((flags & (SAME_AUTH_IDS | SAME_SESSION)) != 0 && i == 0) {
                    throw r.corrupt("request.flags: the first request refers to a previous request");
                }
                reqOrigin = (flags & SAME_ORIGIN) != 0 ? origin : r.readInt("request.origin");
                requestId = previousId + unzigzag(r.readVarLong("request.requestId"));
                sessionId = (flags & SAME_SESSION) != 0 ? previousSession : r.readLong("request.sessionId");
                authIds = (flags & SAME_AUTH_IDS) != 0 ? previousIds : r.readIds("request.authIds");
            }
            Op op = readOp(r, 0);
            requests[i] = new Request(reqOrigin, requestId, sessionId, authIds, op);
            previousIds = authIds;
            previousId = requestId;
            previousSession = sessionId;
        }
        return new LogEntry(origin, sequence, Collections.unmodifiableList(Arrays.asList(requests)));
    }

    private static Op readOp(WireReader r, int depth) {
        int type = r.readByte("op type");
        switch (type) {
            case OP_CREATE: {
                int opcode = r.readInt("create.opcode");
                String path = r.readString("create.path");
                byte[] data = r.readBytes("create.data");
                List<io.accord.core.acl.Acl> acl = r.readAcls("create.acl");
                int flags = r.readInt("create.flags");
                long ttl = r.readLong("create.ttl");
                return new Op.Create(opcode, path, data, acl, flags, ttl);
            }
            case OP_DELETE:
                return new Op.Delete(r.readString("delete.path"), r.readInt("delete.version"));
            case OP_SET_DATA: {
                String path = r.readString("setData.path");
                byte[] data = r.readBytes("setData.data");
                return new Op.SetData(path, data, r.readInt("setData.version"));
            }
            case OP_SET_ACL: {
                String path = r.readString("setACL.path");
                List<io.accord.core.acl.Acl> acl = r.readAcls("setACL.acl");
                return new Op.SetAcl(path, acl, r.readInt("setACL.version"));
            }
            case OP_CHECK:
                return new Op.Check(r.readString("check.path"), r.readInt("check.version"));
            case OP_DELETE_CONTAINER:
                return new Op.DeleteContainer(r.readString("deleteContainer.path"));
            case OP_MULTI: {
                if (depth >= MAX_MULTI_DEPTH) {
                    throw r.corrupt("multi depth: " + (depth + 1) + " (expected: <= " + MAX_MULTI_DEPTH + ")");
                }
                int n = r.readCount("multi.ops", 1);
                if (n < 0) {
                    return new Op.Multi(null);
                }
                Op[] ops = new Op[n];
                for (int i = 0; i < n; i++) {
                    ops[i] = readOp(r, depth + 1);
                }
                return new Op.Multi(Collections.unmodifiableList(Arrays.asList(ops)));
            }
            case OP_SYNC:
                return new Op.Sync(r.readString("sync.path"));
            case OP_CREATE_SESSION: {
                int timeout = r.readInt("createSession.timeoutMs");
                return new Op.CreateSession(timeout, r.readBytes("createSession.password"));
            }
            case OP_REATTACH_SESSION: {
                int timeout = r.readInt("reattachSession.timeoutMs");
                return new Op.ReattachSession(timeout, r.readBytes("reattachSession.password"));
            }
            case OP_CLOSE_SESSION:
                return new Op.CloseSession();
            case OP_TOUCH:
                return new Op.Touch(r.readLongs("touch.sessionIds"));
            case OP_TICK:
                return new Op.Tick();
            case OP_RESET_DEADLINES:
                return new Op.ResetDeadlines();
            default:
                throw r.corrupt("unknown op type: " + type);
        }
    }
}
