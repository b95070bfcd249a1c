package io.accord.zk.codec;

import io.accord.zk.jute.JuteException;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.MalformedRequest;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.RequestHeader;
import io.accord.zk.proto.UnknownRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Decodes every frame after the handshake: {@code RequestHeader{xid, type}}, then the request record chosen by the
 * {@link OpCode} table. An unknown type yields an {@link UnknownRequest}; a body that cannot be read yields a
 * {@link MalformedRequest} (the connection survives both decisions here; the server decides what to answer). A
 * frame too short for the header fails the connection. Bytes after the record are ignored, as ZooKeeper does.
 */
public final class RequestDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final String NAME = "request-decoder";

    private final int maxRecordLength;

    public RequestDecoder(int maxRecordLength) {
        super(ByteBuf.class);
        this.maxRecordLength = maxRecordLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        JuteInput in = new JuteInput(frame, maxRecordLength);
        RequestHeader header = RequestHeader.read(in);
        OpCode op = OpCode.of(header.type());
        if (op == null) {
            out.add(new UnknownRequest(header));
            return;
        }
        try {
            JuteRecord body = op.readBody(in);
            out.add(new ClientRequest(header, op, body));
        } catch (JuteException | IllegalArgumentException e) {
            out.add(new MalformedRequest(header, op, e.getMessage()));
        }
    }
}
