package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to setData (5).
 *
 * <p>Wire layout: {@code Stat stat}.
 */
public record SetDataResponse(Stat stat) implements JuteRecord {

    public static SetDataResponse read(JuteInput in) {
        return new SetDataResponse(in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStat(out, stat);
    }
}
