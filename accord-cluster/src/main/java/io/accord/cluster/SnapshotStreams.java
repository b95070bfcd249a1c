package io.accord.cluster;

import io.accord.core.codec.CorruptDataException;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.cluster.client.ClusterException;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Byte streams over an Aeron snapshot, so {@link io.accord.core.codec.SnapshotCodec} can write and read the
 * replica's image without knowing Aeron. The snapshot recording holds Accord's messages between the container's
 * own begin and end markers:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |  Type (uint8) |  Body                                       ...
 *  +---------------+-----------------------------------------------+
 *   type 3 TERM:  first; leadershipTermId:int64 leaderMemberId:int32 (little-endian), the term the replica's
 *                 state was in: a member that loads the snapshot and rejoins the same term sees no term event
 *   type 1 CHUNK: the next bytes of the SnapshotCodec stream (up to {@link #MAX_CHUNK_LENGTH})
 *   type 2 END:   the stream is complete; the container's end marker follows it
 * </pre>
 *
 * A chunk larger than the MTU payload arrives in fragments, so the reader assembles them
 * ({@link ImageControlledFragmentAssembler}), and it returns {@code BREAK} at END so the container's own end
 * marker stays unread (AERON.md section 6).
 */
final class SnapshotStreams {
    static final byte TYPE_CHUNK = 1;
    static final byte TYPE_END = 2;
    static final byte TYPE_TERM = 3;
    static final int TERM_LENGTH = 1 + 8 + 4;
    static final int MAX_CHUNK_LENGTH = 64 * 1024;

    private SnapshotStreams() {
    }

    /** Writes chunks into the snapshot publication, retrying back-pressure with the cluster's idle strategy. */
    static final class PublicationOutputStream extends OutputStream {
        private final ExclusivePublication publication;
        private final IdleStrategy idle;
        private final UnsafeBuffer buffer;
        private int length = 1;
        private long bytes;

        PublicationOutputStream(ExclusivePublication publication, IdleStrategy idle) {
            this.publication = publication;
            this.idle = idle;
            int chunk = Math.min(MAX_CHUNK_LENGTH, publication.maxMessageLength());
            this.buffer = new UnsafeBuffer(new byte[chunk]);
            buffer.putByte(0, TYPE_CHUNK);
        }

        @Override
        public void write(int b) {
            if (length == buffer.capacity()) {
                flush();
            }
            buffer.putByte(length++, (byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (length == buffer.capacity()) {
                    flush();
                }
                int n = Math.min(len, buffer.capacity() - length);
                buffer.putBytes(length, b, off, n);
                length += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() {
            if (length > 1) {
                offer(buffer, length);
                bytes += length - 1;
                length = 1;
            }
        }

        /** Writes the TERM message; call first. */
        void term(long leadershipTermId, int leaderMemberId) {
            UnsafeBuffer term = new UnsafeBuffer(new byte[TERM_LENGTH]);
            term.putByte(0, TYPE_TERM);
            term.putLong(1, leadershipTermId, ByteOrder.LITTLE_ENDIAN);
            term.putInt(9, leaderMemberId, ByteOrder.LITTLE_ENDIAN);
            offer(term, TERM_LENGTH);
        }

        /** Flushes and appends the END message. */
        void end() {
            flush();
            UnsafeBuffer end = new UnsafeBuffer(new byte[1]);
            end.putByte(0, TYPE_END);
            offer(end, 1);
        }

        long bytes() {
            return bytes;
        }

        private void offer(DirectBuffer b, int len) {
            idle.reset();
            while (true) {
                long result = publication.offer(b, 0, len);
                if (result > 0) {
                    return;
                }
                if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED
                        || result == Publication.MAX_POSITION_EXCEEDED) {
                    throw new ClusterException("snapshot publication failed after " + bytes + " bytes: "
                            + Publication.errorString(result));
                }
                idle.idle();
            }
        }
    }

    /** Reads the chunks of a snapshot image up to the END message; a stream that ends before it is corrupt. */
    static final class ImageInputStream extends InputStream implements ControlledFragmentHandler {
        private final Image image;
        private final IdleStrategy idle;
        private final ImageControlledFragmentAssembler assembler = new ImageControlledFragmentAssembler(this);
        private byte[] chunk = new byte[4096];
        private int position;
        private int limit;
        private boolean ended;
        private long bytes;
        private boolean sawTerm;
        private long leadershipTermId;
        private int leaderMemberId;

        ImageInputStream(Image image, IdleStrategy idle) {
            this.image = image;
            this.idle = idle;
        }

        @Override
        public Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
            byte type = length > 0 ? buffer.getByte(offset) : 0;
            if (type == TYPE_CHUNK) {
                int n = length - 1;
                if (chunk.length < n) {
                    chunk = Arrays.copyOf(chunk, Math.max(n, 2 * chunk.length));
                }
                buffer.getBytes(offset + 1, chunk, 0, n);
                position = 0;
                limit = n;
                bytes += n;
                return Action.BREAK;
            }
            if (type == TYPE_TERM && length == TERM_LENGTH && !sawTerm && bytes == 0) {
                sawTerm = true;
                leadershipTermId = buffer.getLong(offset + 1, ByteOrder.LITTLE_ENDIAN);
                leaderMemberId = buffer.getInt(offset + 9, ByteOrder.LITTLE_ENDIAN);
                return Action.BREAK;
            }
            if (type == TYPE_END && length == 1) {
                ended = true;
                return Action.BREAK;
            }
            throw new CorruptDataException("snapshot message type: " + type + " of " + length + " bytes after "
                    + bytes + " bytes (expected: " + TYPE_CHUNK + " chunk or " + TYPE_END + " end)");
        }

        /** Reads the TERM message that starts the snapshot. */
        void readTerm() {
            idle.reset();
            while (!sawTerm) {
                if (position < limit || ended) {
                    throw new CorruptDataException("snapshot does not start with its term message");
                }
                poll();
            }
        }

        long leadershipTermId() {
            return leadershipTermId;
        }

        int leaderMemberId() {
            return leaderMemberId;
        }

        private void poll() {
            int n = image.controlledPoll(assembler, 16);
            if (n == 0) {
                if (image.isClosed() || image.isEndOfStream()) {
                    throw new CorruptDataException("snapshot image ended after " + bytes
                            + " bytes, before its end message");
                }
                idle.idle();
            }
        }

        private boolean fill() {
            idle.reset();
            while (position == limit && !ended) {
                poll();
            }
            return position < limit;
        }

        @Override
        public int read() {
            if (position == limit && !fill()) {
                return -1;
            }
            return chunk[position++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position == limit && !fill()) {
                return -1;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        long bytes() {
            return bytes;
        }
    }
}
