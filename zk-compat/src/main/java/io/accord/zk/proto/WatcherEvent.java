package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * A notification (xid -1): EventType, KeeperState (always 3, SyncConnected, from a server) and the changed node.
 *
 * <p>Wire layout: {@code int type, int state, ustring path}.
 */
public record WatcherEvent(int type, int state, String path) implements JuteRecord {

    public static WatcherEvent read(JuteInput in) {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(type);
        out.writeInt(state);
        JuteOutput.writeString(out, path);
    }
}
