package io.accord.zk.codec;

import io.accord.zk.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link ServerFrame} as a 4-byte length followed by the record. Stateless; one instance serves all.
 * {@link io.accord.zk.server} connections batch their frames with {@link #encodeFrame} and write the bytes, which
 * pass through here untouched.
 */
@Sharable
public final class ServerFrameEncoder extends MessageToByteEncoder<ServerFrame> {
    public static final ServerFrameEncoder INSTANCE = new ServerFrameEncoder();

    private ServerFrameEncoder() {
        super(ServerFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, ByteBuf out) {
        encodeFrame(frame, out);
    }

    /**
     * Appends {@code frame} with its length prefix to {@code out}: for a writer that puts several frames into one
     * buffer (one pipeline write and one buffer per batch of frames instead of one per frame).
     */
    public static void encodeFrame(ServerFrame frame, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        frame.write(out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }
}
