package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to create2 (15), createContainer (19), createTTL (21).
 *
 * <p>Wire layout: {@code ustring path, Stat stat}.
 */
public record Create2Response(String path, Stat stat) implements JuteRecord {

    public static Create2Response read(JuteInput in) {
        return new Create2Response(in.readString(), in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeStat(out, stat);
    }
}
