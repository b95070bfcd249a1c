package io.accord.zk.codec;

import io.accord.zk.proto.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link ServerFrame} as a 4-byte length followed by the record. Stateless; one instance serves all. */
@Sharable
public final class ServerFrameEncoder extends MessageToByteEncoder<ServerFrame> {
    public static final ServerFrameEncoder INSTANCE = new ServerFrameEncoder();

    private ServerFrameEncoder() {
        super(ServerFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        frame.write(out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }
}
