package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * exists (3).
 *
 * <p>Wire layout: {@code ustring path, boolean watch}.
 */
public record ExistsRequest(String path, boolean watch) implements JuteRecord {

    public static ExistsRequest read(JuteInput in) {
        return new ExistsRequest(in.readString(), in.readBool());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBool(out, watch);
    }
}
