package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * setWatches (101): watches re-sent after a reconnect, relative to the last zxid the client saw.
 *
 * <p>Wire layout: {@code long relativeZxid, vector<ustring> dataWatches, vector<ustring> existWatches, vector<ustring> childWatches}.
 */
public record SetWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches) implements JuteRecord {

    public static SetWatches read(JuteInput in) {
        return new SetWatches(in.readLong(), in.readStringList(), in.readStringList(), in.readStringList());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeLong(relativeZxid);
        JuteOutput.writeStringList(out, dataWatches);
        JuteOutput.writeStringList(out, existWatches);
        JuteOutput.writeStringList(out, childWatches);
    }
}
