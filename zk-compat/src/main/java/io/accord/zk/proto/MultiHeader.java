package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Precedes each op of a multi request and each result of a multi response (9 bytes); {@code type -1, done true, err -1} ends the list.
 *
 * <p>Wire layout: {@code int type, boolean done, int err}.
 */
public record MultiHeader(int type, boolean done, int err) implements JuteRecord {

    public static MultiHeader read(JuteInput in) {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(type);
        JuteOutput.writeBool(out, done);
        out.writeInt(err);
    }
}
