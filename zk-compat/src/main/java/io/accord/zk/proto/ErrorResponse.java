package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;

/**
 * An error slot of a multi response, and the 4-byte reply to addWatch.
 *
 * <p>Wire layout: {@code int err}.
 */
public record ErrorResponse(int err) implements JuteRecord {

    public static ErrorResponse read(JuteInput in) {
        return new ErrorResponse(in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(err);
    }
}
