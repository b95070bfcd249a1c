package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * sync (9).
 *
 * <p>Wire layout: {@code ustring path}.
 */
public record SyncRequest(String path) implements JuteRecord {

    public static SyncRequest read(JuteInput in) {
        return new SyncRequest(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
    }
}
