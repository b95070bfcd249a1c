package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * getEphemerals (103).
 *
 * <p>Wire layout: {@code ustring prefixPath}.
 */
public record GetEphemeralsRequest(String prefixPath) implements JuteRecord {

    public static GetEphemeralsRequest read(JuteInput in) {
        return new GetEphemeralsRequest(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, prefixPath);
    }
}
