package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * delete (2); version -1 matches any.
 *
 * <p>Wire layout: {@code ustring path, int version}.
 */
public record DeleteRequest(String path, int version) implements JuteRecord {

    public static DeleteRequest read(JuteInput in) {
        return new DeleteRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        out.writeInt(version);
    }
}
