package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * checkWatches (17); type is a WatcherType (1 children, 2 data, 3 any, 4 persistent, 5 recursive).
 *
 * <p>Wire layout: {@code ustring path, int type}.
 */
public record CheckWatchesRequest(String path, int type) implements JuteRecord {

    public static CheckWatchesRequest read(JuteInput in) {
        return new CheckWatchesRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        out.writeInt(type);
    }
}
