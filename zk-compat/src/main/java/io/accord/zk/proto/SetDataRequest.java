package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * setData (5); version -1 matches any.
 *
 * <p>Wire layout: {@code ustring path, buffer data, int version}.
 */
public record SetDataRequest(String path, byte[] data, int version) implements JuteRecord {

    public static SetDataRequest read(JuteInput in) {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBuffer(out, data);
        out.writeInt(version);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SetDataRequest o && Objects.equals(path, o.path)
                && Arrays.equals(data, o.data)
                && version == o.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), version);
    }

    @Override
    public String toString() {
        return "SetDataRequest[" + "path=" + path
                + ", " + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "version=" + version + "]";
    }
}
