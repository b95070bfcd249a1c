package io.accord.core.codec;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes Accord's primitive wire types, little-endian, at an absolute index of a {@link ByteBuffer} (heap or
 * direct) without touching the buffer's position. Either bounded by a caller's buffer (overflow is an
 * {@link IndexOutOfBoundsException}) or growable (it reallocates a heap buffer, doubling).
 *
 * <p>Primitive types: {@code int32}/{@code int64} little-endian; {@code string} = int32 byte length (-1 = null)
 * then UTF-8 bytes, encoded char by char (no intermediate byte[]; an unpaired surrogate becomes {@code '?'} as
 * {@link String#getBytes} does); {@code bytes} = int32 length (-1 = null) then the bytes; {@code long[]} = int32
 * count (-1 = null) then int64s; lists = int32 count (-1 = null) then the elements.
 *
 * <p>Not thread-safe. Encoding allocates nothing per field.
 */
final class WireWriter {
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteBuffer buf;
    private int pos;
    private final boolean growable;

    private WireWriter(ByteBuffer buf, int pos, boolean growable) {
        this.buf = buf;
        this.pos = pos;
        this.growable = growable;
    }

    /** Writes into {@code buf} from {@code index} up to its limit. */
    static WireWriter bounded(ByteBuffer buf, int index) {
        return new WireWriter(buf, index, false);
    }

    static WireWriter growable(int initialCapacity) {
        return new WireWriter(ByteBuffer.allocate(initialCapacity), 0, true);
    }

    /** Rewinds to {@code index} (a growable writer keeps its buffer). */
    void reset(int index) {
        pos = index;
    }

    int position() {
        return pos;
    }

    ByteBuffer buffer() {
        return buf;
    }

    /** The backing array of a growable writer. */
    byte[] array() {
        return buf.array();
    }

    private void ensure(int n) {
        if (pos + n > buf.limit()) {
            if (!growable) {
                throw new IndexOutOfBoundsException(
                        "write of " + n + " bytes at index " + pos + " exceeds limit " + buf.limit());
            }
            long wanted = Math.max((long) buf.capacity() * 2, (long) pos + n);
            int capacity = (int) Math.min(wanted, Integer.MAX_VALUE - 8);
            if (capacity < pos + n) {
                throw new IllegalArgumentException("record too large: " + ((long) pos + n) + " bytes");
            }
            ByteBuffer bigger = ByteBuffer.allocate(capacity);
            bigger.put(0, buf, 0, pos);
            buf = bigger;
        }
    }

    void putByte(int v) {
        ensure(1);
        buf.put(pos, (byte) v);
        pos += 1;
    }

    void putShort(int v) {
        ensure(2);
        SHORT.set(buf, pos, (short) v);
        pos += 2;
    }

    void putInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    void putIntAt(int index, int v) {
        INT.set(buf, index, v);
    }

    /** An unsigned LEB128 varint of {@code v}'s 64 bits: 1 byte below 128, at most 10. */
    void putVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            putByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        putByte((int) v);
    }

    /** The bytes {@link #putVarLong} writes for {@code v}. */
    static int varLongLength(long v) {
        return v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
    }

    void putLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    void putBytes(byte[] b) {
        if (b == null) {
            putInt(-1);
            return;
        }
        putInt(b.length);
        ensure(b.length);
        buf.put(pos, b);
        pos += b.length;
    }

    /** Advances over {@code n} bytes (filled in later with absolute writes). */
    void skip(int n) {
        ensure(n);
        pos += n;
    }

    /** The bytes without a length prefix. */
    void putRaw(byte[] b) {
        ensure(b.length);
        buf.put(pos, b);
        pos += b.length;
    }

    void putLongs(long[] v) {
        if (v == null) {
            putInt(-1);
            return;
        }
        putInt(v.length);
        ensure(8 * v.length);
        for (long x : v) {
            LONG.set(buf, pos, x);
            pos += 8;
        }
    }

    void putString(String s) {
        if (s == null) {
            putInt(-1);
            return;
        }
        int n = s.length();
        ensure(4 + n);
        int lengthAt = pos;
        pos += 4;
        int i = 0;
        for (; i < n; i++) { // ASCII fast path: one byte per char, room already ensured
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            buf.put(pos++, (byte) c);
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                ensure(1);
                buf.put(pos++, (byte) c);
            } else if (c < 0x800) {
                ensure(2);
                buf.put(pos++, (byte) (0xC0 | (c >> 6)));
                buf.put(pos++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                int cp = -1;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                if (cp < 0) {
                    ensure(1);
                    buf.put(pos++, (byte) '?');
                } else {
                    ensure(4);
                    buf.put(pos++, (byte) (0xF0 | (cp >> 18)));
                    buf.put(pos++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                    buf.put(pos++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                    buf.put(pos++, (byte) (0x80 | (cp & 0x3F)));
                }
            } else {
                ensure(3);
                buf.put(pos++, (byte) (0xE0 | (c >> 12)));
                buf.put(pos++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                buf.put(pos++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        INT.set(buf, lengthAt, pos - lengthAt - 4);
    }

    void putIds(List<Id> ids, String field) {
        if (ids == null) {
            putInt(-1);
            return;
        }
        int n = ids.size();
        putInt(n);
        for (int i = 0; i < n; i++) {
            Id id = ids.get(i);
            if (id == null) {
                throw new IllegalArgumentException(field + "[" + i + "] is null");
            }
            putString(id.scheme());
            putString(id.id());
        }
    }

    void putAcls(List<Acl> acls, String field) {
        if (acls == null) {
            putInt(-1);
            return;
        }
        int n = acls.size();
        putInt(n);
        for (int i = 0; i < n; i++) {
            Acl acl = acls.get(i);
            if (acl == null) {
                throw new IllegalArgumentException(field + "[" + i + "] is null");
            }
            putInt(acl.perms());
            putString(acl.id().scheme());
            putString(acl.id().id());
        }
    }
}
