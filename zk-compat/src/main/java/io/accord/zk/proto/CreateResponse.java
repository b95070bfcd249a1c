package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to create (1).
 *
 * <p>Wire layout: {@code ustring path}.
 */
public record CreateResponse(String path) implements JuteRecord {

    public static CreateResponse read(JuteInput in) {
        return new CreateResponse(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
    }
}
