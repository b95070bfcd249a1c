package io.accord.zk.jute;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads jute primitives ({@code BinaryInputArchive}) from a {@link ByteBuf} that holds one whole record.
 *
 * <pre>
 *   int      4 bytes big-endian          long   8 bytes big-endian
 *   boolean  1 byte, non-zero = true
 *   buffer   int length, then bytes; length -1 = null (distinct from 0 = empty)
 *   ustring  int length, then UTF-8 bytes; length -1 = null
 *   vector   int count, then elements; count -1 = null, a count below -1 = empty (as ZooKeeper reads it)
 * </pre>
 *
 * Every length is checked against {@code maxLength} and against the bytes left <em>before</em> anything is
 * allocated, so a hostile length never allocates. Malformed UTF-8 is decoded with replacement characters, as
 * ZooKeeper's reader does (such a path then fails validation or lookup like any other bad path).
 *
 * <p>Not thread-safe; one instance reads one record.
 */
public final class JuteInput {
    private final ByteBuf in;
    private final int maxLength;

    public JuteInput(ByteBuf in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
    }

    public int readableBytes() {
        return in.readableBytes();
    }

    public boolean readBool() {
        need(1, "boolean");
        return in.readByte() != 0;
    }

    public int readInt() {
        need(4, "int");
        return in.readInt();
    }

    public long readLong() {
        need(8, "long");
        return in.readLong();
    }

    /** A jute {@code buffer}: null for length -1. */
    public byte[] readBuffer() {
        int length = readLength("buffer");
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** A jute {@code ustring}: null for length -1. */
    public String readString() {
        int length = readLength("ustring");
        if (length < 0) {
            return null;
        }
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    /** A {@code vector<ustring>}: null for count -1. */
    public List<String> readStringList() {
        int count = readCount("vector<ustring>", 4);
        if (count < 0) {
            return null;
        }
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(readString());
        }
        return Collections.unmodifiableList(list);
    }

    public Id readId() {
        String scheme = readString();
        String id = readString();
        if (scheme == null || id == null) {
            throw new JuteException("Id with a null " + (scheme == null ? "scheme" : "id"));
        }
        return new Id(scheme, id);
    }

    /** A {@code vector<ACL>}: null for count -1. */
    public List<Acl> readAclList() {
        int count = readCount("vector<ACL>", 12);
        if (count < 0) {
            return null;
        }
        List<Acl> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int perms = readInt();
            list.add(new Acl(perms, readId()));
        }
        return Collections.unmodifiableList(list);
    }

    /** A {@code Stat}, 68 bytes (see {@link JuteOutput#writeStat}). */
    public Stat readStat() {
        return new Stat(readLong(), readLong(), readLong(), readLong(), readInt(), readInt(), readInt(), readLong(),
                readInt(), readInt(), readLong());
    }

    private int readLength(String what) {
        int length = readInt();
        if (length == -1) {
            return -1;
        }
        if (length < -1 || length > maxLength) {
            throw new JuteException(what + " length: " + length + " (expected: -1..." + maxLength + ")");
        }
        need(length, what);
        return length;
    }

    private int readCount(String what, int minElementBytes) {
        int count = readInt();
        if (count == -1) {
            return -1;
        }
        if (count < -1) {
            return 0; // ZooKeeper's BinaryInputArchive reads such a vector as empty (its index is done at once)
        }
        if (count > maxLength) {
            throw new JuteException(what + " count: " + count + " (expected: -1..." + maxLength + ")");
        }
        // each element takes at least minElementBytes: a count that cannot fit is rejected before allocating
        if ((long) count * minElementBytes > in.readableBytes()) {
            throw new JuteException(what + " count: " + count + " (expected: <= "
                    + in.readableBytes() / minElementBytes + " for " + in.readableBytes() + " bytes left)");
        }
        return count;
    }

    private void need(int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new JuteException(what + ": " + bytes + " bytes needed, " + in.readableBytes() + " left");
        }
    }
}
