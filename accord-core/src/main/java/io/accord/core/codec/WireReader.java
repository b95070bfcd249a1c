package io.accord.core.codec;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads the primitive wire types of {@link WireWriter} from an absolute range of a {@link ByteBuffer}, checking
 * every length and count against the bytes that remain <em>before</em> allocating, so that a hostile length
 * field can never cause a large allocation: every allocation is bounded by the size of the input.
 * Every failure is a {@link CorruptDataException} naming the field and what was expected.
 *
 * <p>Not thread-safe; cheap to create.
 */
final class WireReader {
    private final ByteBuffer buf;
    private final String what;
    private int pos;
    private final int end;
    /** The last id list read and where its bytes are, for {@link #readIds}. */
    private List<Id> lastIds;
    private int lastIdsStart;
    private int lastIdsLength;

    /**
     * @param what names the thing being read in error messages, e.g. {@code "log entry"}
     */
    WireReader(ByteBuffer buf, int index, int end, String what) {
        this.buf = buf;
        this.pos = index;
        this.end = end;
        this.what = what;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    CorruptDataException corrupt(String message) {
        return new CorruptDataException(what + ": " + message);
    }

    private void need(int n, String field) {
        if (end - pos < n) {
            throw corrupt("truncated at " + field + ": needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int readByte(String field) {
        need(1, field);
        return buf.get(pos++) & 0xFF;
    }

    int readShort(String field) {
        need(2, field);
        int v = (short) WireWriter.SHORT.get(buf, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    int readInt(String field) {
        need(4, field);
        int v = (int) WireWriter.INT.get(buf, pos);
        pos += 4;
        return v;
    }

    long readLong(String field) {
        need(8, field);
        long v = (long) WireWriter.LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    /** A varint of {@link WireWriter#putVarLong}; more than 10 bytes, or bits beyond 64, are corrupt. */
    long readVarLong(String field) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte(field);
            if (shift == 63 && b > 1) {
                throw corrupt(field + ": varint longer than 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return v;
            }
        }
        throw corrupt(field + ": varint longer than 64 bits");
    }

    boolean readBoolean(String field) {
        int b = readByte(field);
        if (b > 1) {
            throw corrupt(field + ": " + b + " (expected: 0 or 1)");
        }
        return b == 1;
    }

    /**
     * A count or length field: -1 (null) or 0..(remaining / minElementBytes), checked before anything is
     * allocated.
     */
    int readCount(String field, int minElementBytes) {
        int n = readInt(field);
        if (n < -1) {
            throw corrupt(field + " length: " + n + " (expected: >= -1)");
        }
        if (n > 0 && (long) n * minElementBytes > end - pos) {
            throw corrupt(field + " length: " + n + " (expected: <= " + (end - pos) / minElementBytes
                    + ", the bytes left)");
        }
        return n;
    }

    String readString(String field) {
        int n = readCount(field, 1);
        if (n < 0) {
            return null;
        }
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + pos, n, StandardCharsets.UTF_8);
        } else {
            byte[] b = new byte[n];
            buf.get(pos, b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        pos += n;
        return s;
    }

    byte[] readBytes(String field) {
        int n = readCount(field, 1);
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        buf.get(pos, b);
        pos += n;
        return b;
    }

    long[] readLongs(String field) {
        int n = readCount(field, 8);
        if (n < 0) {
            return null;
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = (long) WireWriter.LONG.get(buf, pos);
            pos += 8;
        }
        return v;
    }

    /**
     * A string that must not be null (an {@link Id} part); the field's name is {@code field + part}, joined only
     * for an error message, not on every read.
     */
    private String readRequiredString(String field, String part) {
        String s = readString(field);
        if (s == null) {
            throw corrupt(field + part + " is null (expected: a string)");
        }
        return s;
    }

    /**
     * An id list. The requests of one log entry mostly carry the same ids (every connection from one host has
     * the same {@code ip} id), so when the bytes equal those of the previous list read, that list is returned
     * again instead of decoding new strings: cheaper to apply and lighter to keep. The encoding is prefix-free
     * (a count, then length-prefixed strings), so equal bytes over the previous list's length mean equal lists.
     */
    List<Id> readIds(String field) {
        if (lastIds != null && end - pos >= lastIdsLength && sameBytes(lastIdsStart, pos, lastIdsLength)) {
            pos += lastIdsLength;
            return lastIds;
        }
        int start = pos;
        int n = readCount(field, 8);
        if (n < 0) {
            return null;
        }
        Id[] ids = new Id[n];
        for (int i = 0; i < n; i++) {
            ids[i] = new Id(readRequiredString(field, ".scheme"), readRequiredString(field, ".id"));
        }
        lastIds = Collections.unmodifiableList(Arrays.asList(ids));
        lastIdsStart = start;
        lastIdsLength = pos - start;
        return lastIds;
    }

    private boolean sameBytes(int a, int b, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if ((long) WireWriter.LONG.get(buf, a + i) != (long) WireWriter.LONG.get(buf, b + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (buf.get(a + i) != buf.get(b + i)) {
                return false;
            }
        }
        return true;
    }

    List<Acl> readAcls(String field) {
        int n = readCount(field, 12);
        if (n < 0) {
            return null;
        }
        Acl[] acls = new Acl[n];
        for (int i = 0; i < n; i++) {
            int perms = readInt(field);
            acls[i] = new Acl(perms, new Id(readRequiredString(field, ".scheme"), readRequiredString(field, ".id")));
        }
        return Collections.unmodifiableList(Arrays.asList(acls));
    }

    /** Fails unless every byte was consumed. */
    void expectEnd() {
        if (pos != end) {
            throw corrupt("trailing bytes: " + (end - pos) + " (expected: 0)");
        }
    }
}
