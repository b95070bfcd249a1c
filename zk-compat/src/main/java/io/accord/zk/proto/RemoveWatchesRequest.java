package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * removeWatches (18); type as {@link CheckWatchesRequest}.
 *
 * <p>Wire layout: {@code ustring path, int type}.
 */
public record RemoveWatchesRequest(String path, int type) implements JuteRecord {

    public static RemoveWatchesRequest read(JuteInput in) {
        return new RemoveWatchesRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        out.writeInt(type);
    }
}
