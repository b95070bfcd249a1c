package io.accord.core.codec;

import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Accord's streaming, versioned snapshot format: a full image of the replicated state, written from an
 * {@link ImageSink} to an {@link OutputStream} and read from an {@link InputStream} into an {@link ImageSink},
 * record by record, never needing the whole snapshot in memory.
 *
 * <h2>Stream</h2>
 * <pre>
 *  +------------------------------------------------+
 *  | file header (16 bytes)                         |
 *  +------------------------------------------------+
 *  | META record (exactly one, first)               |
 *  | ACL records ...                                |
 *  | NODE records ... (parents before children)     |
 *  | SESSION records ...                            |
 *  | END record (counts)                            |
 *  +------------------------------------------------+   end of stream: nothing may follow
 *
 *  File header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Magic "ACCSNAP\0" (8 bytes)                 |  0 MAGIC
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |   Schema Version (uint16)     |       Reserved (uint16)       |  8
 *  +-------------------------------+-------------------------------+
 *  |              CRC32C of bytes 0..11 (int32)                    |  12
 *  +---------------------------------------------------------------+
 *
 *  Record:
 *  +---------------------------------------------------------------+
 *  |                      Body Length (int32)                      |  0
 *  +---------------+-----------------------------------------------+
 *  |  Type (uint8) |  Body ...                                     |  4, 5
 *  +---------------+                                               |
 *  ...                                                             |
 *  +---------------------------------------------------------------+
 *  |        CRC32C of length, type and body (int32)                |  5 + bodyLength
 *  +---------------------------------------------------------------+
 *
 *  Bodies (see {@link ImageCodec} for the value layouts):
 *   1 META     meta
 *   2 ACL      aclId:int32 acl-list
 *   3 NODE     path:string node-value
 *   4 SESSION  sessionId:int64 session
 *   5 END      acls:int64 nodes:int64 sessions:int64
 * </pre>
 *
 * <p>A reader verifies each record's length limit before reading it, its CRC and its order before decoding it,
 * and decodes it completely before handing it to the sink, so the sink never sees half a record; the END
 * record's counts must match what was read and nothing may follow it. A truncated or corrupt snapshot fails with
 * a {@link CorruptDataException} naming the record and the problem. The records handed over before the failure
 * are whole, but the image is incomplete: the caller must discard what its sink built.
 *
 * <p>Threading and cost: a {@link Writer} or a read call belongs to one thread. Writing costs one encode into a
 * reusable buffer plus one CRC pass per record; reading holds one record at a time (buffers bounded by the
 * largest record, which is checked against {@code maxRecordLength} before anything is read into it).
 */
public final class SnapshotCodec {
    public static final byte[] MAGIC = {'A', 'C', 'C', 'S', 'N', 'A', 'P', 0};
    public static final int SCHEMA_VERSION = 1;
    public static final int FILE_HEADER_LENGTH = 16;
    public static final int RECORD_HEADER_LENGTH = 5;
    public static final int RECORD_TRAILER_LENGTH = 4;
    /** The largest record body a reader accepts unless told otherwise (64 MiB). */
    public static final int DEFAULT_MAX_RECORD_LENGTH = 64 << 20;

    public static final int TYPE_META = 1;
    public static final int TYPE_ACL = 2;
    public static final int TYPE_NODE = 3;
    public static final int TYPE_SESSION = 4;
    public static final int TYPE_END = 5;

    private static final String[] TYPE_NAMES = {"?", "meta", "acl", "node", "session", "end"};

    private SnapshotCodec() {
    }

    /** What a complete snapshot held. */
    public record Summary(MetaImage meta, long acls, long nodes, long sessions, long bytes) {
    }

    /** Starts a snapshot on {@code out} (buffered internally; {@link Writer#finish()} flushes, never closes). */
    public static Writer writer(OutputStream out) {
        return new Writer(out);
    }

    /**
     * Writes one snapshot as an {@link ImageSink} receives the image: meta first, then ACLs, nodes and sessions.
     * I/O errors surface as {@link UncheckedIOException} from the sink methods (whose signatures cannot throw).
     * Not thread-safe.
     */
    public static final class Writer implements ImageSink {
        private final OutputStream out;
        private final WireWriter w = WireWriter.growable(4096);
        private final CRC32C crc = new CRC32C();
        private int stage;
        private long acls;
        private long nodes;
        private long sessions;
        private long bytes;
        private MetaImage meta;

        Writer(OutputStream out) {
            this.out = new BufferedOutputStream(out, 1 << 16);
            w.reset(0);
            ByteBuffer b = w.buffer();
            b.put(0, MAGIC);
            WireWriter.SHORT.set(b, 8, (short) SCHEMA_VERSION);
            WireWriter.SHORT.set(b, 10, (short) 0);
            crc.update(b.array(), 0, 12);
            WireWriter.INT.set(b, 12, (int) crc.getValue());
            write(b.array(), FILE_HEADER_LENGTH);
        }

        private void begin(int type) {
            if (type < stage || (type == TYPE_META && stage == TYPE_META)) {
                throw new IllegalStateException(TYPE_NAMES[type] + " after " + TYPE_NAMES[stage]
                        + " (expected order: meta, acls, nodes, sessions, end)");
            }
            if (type != TYPE_META && stage == 0) {
                throw new IllegalStateException(TYPE_NAMES[type] + " before meta");
            }
            stage = type;
            w.reset(0);
            w.putInt(0);
            w.putByte(type);
        }

        private void end() {
            ByteBuffer b = w.buffer();
            int bodyLength = w.position() - RECORD_HEADER_LENGTH;
            w.putIntAt(0, bodyLength);
            crc.reset();
            crc.update(b.array(), 0, w.position());
            w.putInt((int) crc.getValue());
            write(w.buffer().array(), w.position()); // putInt may have grown the buffer: not b
        }

        private void write(byte[] b, int n) {
            try {
                out.write(b, 0, n);
            } catch (IOException e) {
                throw new UncheckedIOException("snapshot write failed after " + bytes + " bytes", e);
            }
            bytes += n;
        }

        @Override
        public void meta(MetaImage meta) {
            begin(TYPE_META);
            ImageCodec.writeMeta(w, meta);
            end();
            this.meta = meta;
        }

        @Override
        public void acl(AclImage acl) {
            begin(TYPE_ACL);
            w.putInt(acl.aclId());
            w.putAcls(acl.acl(), "acl");
            end();
            acls++;
        }

        @Override
        public void node(NodeImage node) {
            begin(TYPE_NODE);
            w.putString(node.path());
            int at = w.position();
            w.skip(ImageCodec.NODE_FIXED_LENGTH);
            ImageCodec.writeNodeFixed(w.buffer(), at, node);
            if (node.data() != null) {
                w.putRaw(node.data());
            }
            end();
            nodes++;
        }

        @Override
        public void session(SessionImage session) {
            begin(TYPE_SESSION);
            w.putLong(session.sessionId());
            ImageCodec.writeSession(w, session);
            end();
            sessions++;
        }

        /** Writes the END record and flushes; the snapshot is complete once this returns. */
        public Summary finish() throws IOException {
            if (stage == 0) {
                throw new IllegalStateException("no meta written");
            }
            stage = TYPE_END;
            w.reset(0);
            w.putInt(0);
            w.putByte(TYPE_END);
            w.putLong(acls);
            w.putLong(nodes);
            w.putLong(sessions);
            end();
            out.flush();
            return new Summary(meta, acls, nodes, sessions, bytes);
        }
    }

    /** Reads a snapshot with the default record length limit; see {@link #read(InputStream, ImageSink, int)}. */
    public static Summary read(InputStream in, ImageSink sink) throws IOException {
        return read(in, sink, DEFAULT_MAX_RECORD_LENGTH);
    }

    /**
     * Reads a whole snapshot from {@code in} (to its end) into {@code sink}, one verified record at a time.
     *
     * @throws CorruptDataException if the snapshot is truncated, corrupt, out of order, of another version, or
     *                              its counts do not match; the message names the record and the problem
     * @throws IOException          if reading fails
     */
    public static Summary read(InputStream in, ImageSink sink, int maxRecordLength) throws IOException {
        byte[] header = in.readNBytes(FILE_HEADER_LENGTH);
        if (header.length < FILE_HEADER_LENGTH) {
            throw new CorruptDataException("snapshot: truncated file header: " + header.length + " bytes (expected: "
                    + FILE_HEADER_LENGTH + ")");
        }
        if (!Arrays.equals(header, 0, 8, MAGIC, 0, 8)) {
            throw new CorruptDataException("snapshot: bad magic (not an Accord snapshot)");
        }
        ByteBuffer hb = ByteBuffer.wrap(header);
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 12);
        if ((int) crc.getValue() != (int) WireWriter.INT.get(hb, 12)) {
            throw new CorruptDataException("snapshot: file header crc mismatch");
        }
        int version = (short) WireWriter.SHORT.get(hb, 8) & 0xFFFF;
        if (version != SCHEMA_VERSION) {
            throw new CorruptDataException("snapshot: unsupported schema version: " + version + " (expected: "
                    + SCHEMA_VERSION + "; written by another Accord version: take a new snapshot with this one)");
        }
        long bytes = FILE_HEADER_LENGTH;
        byte[] buf = new byte[4096];
        int stage = 0;
        long index = 0;
        long acls = 0;
        long nodes = 0;
        long sessions = 0;
        MetaImage meta = null;
        while (true) {
            String at = "snapshot record " + index + " at byte " + bytes;
            int n = in.readNBytes(buf, 0, RECORD_HEADER_LENGTH);
            if (n < RECORD_HEADER_LENGTH) {
                throw new CorruptDataException(at + ": truncated: end of stream before the end record (read "
                        + acls + " acls, " + nodes + " nodes, " + sessions + " sessions)");
            }
            int bodyLength = (int) WireWriter.INT.get(ByteBuffer.wrap(buf), 0);
            int type = buf[4] & 0xFF;
            if (bodyLength < 0 || bodyLength > maxRecordLength) {
                throw new CorruptDataException(at + ": record length: " + bodyLength + " (expected: 0.."
                        + maxRecordLength + ")");
            }
            int total = RECORD_HEADER_LENGTH + bodyLength + RECORD_TRAILER_LENGTH;
            buf = readInto(in, buf, RECORD_HEADER_LENGTH, total, at);
            crc.reset();
            crc.update(buf, 0, RECORD_HEADER_LENGTH + bodyLength);
            int stored = (int) WireWriter.INT.get(ByteBuffer.wrap(buf), RECORD_HEADER_LENGTH + bodyLength);
            if (stored != (int) crc.getValue()) {
                throw new CorruptDataException(at + ": crc mismatch: stored 0x" + Integer.toHexString(stored)
                        + ", computed 0x" + Integer.toHexString((int) crc.getValue()) + " over " + total + " bytes");
            }
            if (type < TYPE_META || type > TYPE_END) {
                throw new CorruptDataException(at + ": unknown record type: " + type);
            }
            String what = at + " (" + TYPE_NAMES[type] + ")";
            if (stage == 0 ? type != TYPE_META : type < stage || type == TYPE_META) {
                throw new CorruptDataException(what + ": out of order after " + TYPE_NAMES[stage]
                        + " (expected: meta, acls, nodes, sessions, end)");
            }
            stage = type;
            bytes += total;
            index++;
            WireReader r = new WireReader(ByteBuffer.wrap(buf), RECORD_HEADER_LENGTH,
                    RECORD_HEADER_LENGTH + bodyLength, what);
            switch (type) {
                case TYPE_META -> {
                    meta = ImageCodec.readMeta(r);
                    r.expectEnd();
                    sink.meta(meta);
                }
                case TYPE_ACL -> {
                    int aclId = r.readInt("aclId");
                    AclImage acl = new AclImage(aclId, r.readAcls("acl"));
                    r.expectEnd();
                    sink.acl(acl);
                    acls++;
                }
                case TYPE_NODE -> {
                    String path = r.readString("path");
                    if (path == null) {
                        throw r.corrupt("path is null");
                    }
                    NodeImage node = ImageCodec.readNode(path, ByteBuffer.wrap(buf), r.position(), r.remaining(), what);
                    sink.node(node);
                    nodes++;
                }
                case TYPE_SESSION -> {
                    long id = r.readLong("sessionId");
                    SessionImage s = ImageCodec.readSession(r, id);
                    r.expectEnd();
                    sink.session(s);
                    sessions++;
                }
                default -> { // END
                    long a = r.readLong("acls");
                    long nn = r.readLong("nodes");
                    long s = r.readLong("sessions");
                    r.expectEnd();
                    if (a != acls || nn != nodes || s != sessions) {
                        throw r.corrupt("counts: " + a + " acls, " + nn + " nodes, " + s + " sessions (expected: "
                                + acls + ", " + nodes + ", " + sessions + " as read)");
                    }
                    if (in.read() != -1) {
                        throw r.corrupt("trailing bytes after the end record");
                    }
                    return new Summary(meta, acls, nodes, sessions, bytes);
                }
            }
        }
    }

    /**
     * Reads bytes {@code [from, to)} of a record into {@code buf}, doubling it only when full, so a corrupt length
     * on a short stream never allocates more than twice what the stream actually held.
     */
    private static byte[] readInto(InputStream in, byte[] buf, int from, int to, String at) throws IOException {
        int pos = from;
        while (pos < to) {
            if (pos == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(to, 2L * buf.length));
            }
            int want = Math.min(to, buf.length) - pos;
            int n = in.readNBytes(buf, pos, want);
            pos += n;
            if (n < want) {
                throw new CorruptDataException(at + ": truncated: record of " + to + " bytes ends after " + pos);
            }
        }
        return buf;
    }
}
