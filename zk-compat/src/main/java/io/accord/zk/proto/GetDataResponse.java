package io.accord.zk.proto;

import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reply to getData (4); data may be null.
 *
 * <p>Wire layout: {@code buffer data, Stat stat}.
 */
public record GetDataResponse(byte[] data, Stat stat) implements JuteRecord {

    public static GetDataResponse read(JuteInput in) {
        return new GetDataResponse(in.readBuffer(), in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeBuffer(out, data);
        JuteOutput.writeStat(out, stat);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GetDataResponse o && Arrays.equals(data, o.data)
                && Objects.equals(stat, o.stat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), stat);
    }

    @Override
    public String toString() {
        return "GetDataResponse[" + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "stat=" + stat + "]";
    }
}
