package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getChildren (8).
 *
 * <p>Wire layout: {@code ustring path, boolean watch}.
 */
public record GetChildrenRequest(String path, boolean watch) implements JuteRecord {

    public static GetChildrenRequest read(JuteInput in) {
        return new GetChildrenRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBool(out, watch);
    }
}
