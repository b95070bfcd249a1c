package io.accord.zk.codec;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.ConnectRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Decodes the first frame of a connection as a {@link ConnectRequest} (no request header; 44 or 45 bytes with a
 * 16-byte password) and replaces itself with a {@link RequestDecoder} for every later frame. A first frame that is
 * not a ConnectRequest fails the connection.
 */
public final class ConnectRequestDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final int maxRecordLength;

    public ConnectRequestDecoder(int maxRecordLength) {
        super(ByteBuf.class);
        this.maxRecordLength = maxRecordLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        ConnectRequest request = ConnectRequest.read(new JuteInput(frame, maxRecordLength));
        ctx.pipeline().replace(this, RequestDecoder.NAME, new RequestDecoder(maxRecordLength));
        out.add(request);
    }
}
