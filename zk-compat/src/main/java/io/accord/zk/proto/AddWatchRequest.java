package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * addWatch (106); mode 0 = persistent, 1 = persistent recursive.
 *
 * <p>Wire layout: {@code ustring path, int mode}.
 */
public record AddWatchRequest(String path, int mode) implements JuteRecord {

    public static AddWatchRequest read(JuteInput in) {
        return new AddWatchRequest(in.readString(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        out.writeInt(mode);
    }
}
