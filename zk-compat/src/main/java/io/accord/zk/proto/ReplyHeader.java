package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;

/**
 * Header of every server frame after the handshake (16 bytes). xid -1 = notification, -2 = ping.
 *
 * <p>Wire layout: {@code int xid, long zxid, int err}.
 */
public record ReplyHeader(int xid, long zxid, int err) implements JuteRecord {

    public static ReplyHeader read(JuteInput in) {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(xid);
        out.writeLong(zxid);
        out.writeInt(err);
    }
}
