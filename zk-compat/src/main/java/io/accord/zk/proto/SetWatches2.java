package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * setWatches2 (105): {@link SetWatches} plus persistent and persistent-recursive watches.
 *
 * <p>Wire layout: {@code long relativeZxid, vector<ustring> dataWatches, vector<ustring> existWatches, vector<ustring> childWatches, vector<ustring> persistentWatches, vector<ustring> persistentRecursiveWatches}.
 */
public record SetWatches2(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches, List<String> persistentWatches, List<String> persistentRecursiveWatches) implements JuteRecord {

    public static SetWatches2 read(JuteInput in) {
        return new SetWatches2(in.readLong(), in.readStringList(), in.readStringList(), in.readStringList(), in.readStringList(), in.readStringList());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeLong(relativeZxid);
        JuteOutput.writeStringList(out, dataWatches);
        JuteOutput.writeStringList(out, existWatches);
        JuteOutput.writeStringList(out, childWatches);
        JuteOutput.writeStringList(out, persistentWatches);
        JuteOutput.writeStringList(out, persistentRecursiveWatches);
    }
}
