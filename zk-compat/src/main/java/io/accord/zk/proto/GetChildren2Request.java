package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getChildren2 (12).
 *
 * <p>Wire layout: {@code ustring path, boolean watch}.
 */
public record GetChildren2Request(String path, boolean watch) implements JuteRecord {

    public static GetChildren2Request read(JuteInput in) {
        return new GetChildren2Request(in.readString(), in.readBool());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBool(out, watch);
    }
}
