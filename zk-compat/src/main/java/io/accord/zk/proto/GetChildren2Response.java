package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Reply to getChildren2 (12).
 *
 * <p>Wire layout: {@code vector<ustring> children, Stat stat}.
 */
public record GetChildren2Response(List<String> children, Stat stat) implements JuteRecord {

    public static GetChildren2Response read(JuteInput in) {
        return new GetChildren2Response(in.readStringList(), in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStringList(out, children);
        JuteOutput.writeStat(out, stat);
    }
}
