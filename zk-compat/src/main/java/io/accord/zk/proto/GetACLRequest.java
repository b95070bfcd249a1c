package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getACL (6).
 *
 * <p>Wire layout: {@code ustring path}.
 */
public record GetACLRequest(String path) implements JuteRecord {

    public static GetACLRequest read(JuteInput in) {
        return new GetACLRequest(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
    }
}
