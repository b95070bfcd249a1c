package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;

/**
 * Header of every client frame after the handshake (8 bytes).
 *
 * <p>Wire layout: {@code int xid, int type}.
 */
public record RequestHeader(int xid, int type) implements JuteRecord {

    public static RequestHeader read(JuteInput in) {
        return new RequestHeader(in.readInt(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(xid);
        out.writeInt(type);
    }
}
