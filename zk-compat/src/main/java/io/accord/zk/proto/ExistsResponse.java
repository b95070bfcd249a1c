package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to exists (3).
 *
 * <p>Wire layout: {@code Stat stat}.
 */
public record ExistsResponse(Stat stat) implements JuteRecord {

    public static ExistsResponse read(JuteInput in) {
        return new ExistsResponse(in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStat(out, stat);
    }
}
