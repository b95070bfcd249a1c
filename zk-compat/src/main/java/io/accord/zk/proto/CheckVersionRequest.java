package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * check (13), valid inside multi only.
 *
 * <p>Wire layout: {@code ustring path, int version}.
 */
public record CheckVersionRequest(String path, int version) implements JuteRecord {

    public static CheckVersionRequest read(JuteInput in) {
        return new CheckVersionRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        out.writeInt(version);
    }
}
