package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getData (4).
 *
 * <p>Wire layout: {@code ustring path, boolean watch}.
 */
public record GetDataRequest(String path, boolean watch) implements JuteRecord {

    public static GetDataRequest read(JuteInput in) {
        return new GetDataRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBool(out, watch);
    }
}
