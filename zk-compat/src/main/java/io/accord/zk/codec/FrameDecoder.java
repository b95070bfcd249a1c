package io.accord.zk.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the stream into frames: a 4-byte big-endian signed length, then that many bytes. Emits each payload as a
 * retained slice (without the length). A length below 0 or above {@code maxFrameLength} (ZooKeeper's
 * {@code jute.maxbuffer}) fails before anything is buffered for it; the connection is then closed without a reply,
 * as ZooKeeper does.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private boolean failed;

    public FrameDecoder(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 0 || length > maxFrameLength) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("length: " + length + " (expected: 0..." + maxFrameLength + ")");
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice(length));
    }
}
