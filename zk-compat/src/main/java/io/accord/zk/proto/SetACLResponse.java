package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to setACL (7).
 *
 * <p>Wire layout: {@code Stat stat}.
 */
public record SetACLResponse(Stat stat) implements JuteRecord {

    public static SetACLResponse read(JuteInput in) {
        return new SetACLResponse(in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStat(out, stat);
    }
}
