package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getAllChildrenNumber (104).
 *
 * <p>Wire layout: {@code ustring path}.
 */
public record GetAllChildrenNumberRequest(String path) implements JuteRecord {

    public static GetAllChildrenNumberRequest read(JuteInput in) {
        return new GetAllChildrenNumberRequest(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
    }
}
