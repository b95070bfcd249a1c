package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to sync (9): the request path, echoed.
 *
 * <p>Wire layout: {@code ustring path}.
 */
public record SyncResponse(String path) implements JuteRecord {

    public static SyncResponse read(JuteInput in) {
        return new SyncResponse(in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
    }
}
