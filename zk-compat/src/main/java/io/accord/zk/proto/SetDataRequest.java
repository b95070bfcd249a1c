package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * setData (5); version -1 matches any.
 *
 * <p>Wire layout: {@code string path, buffer data, int version}.
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
        return other instanceof SetDataRequest o && java.util.Objects.equals(path, o.path) && java.util.Arrays.equals(data, o.data) && version == o.version;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(path, java.util.Arrays.hashCode(data), version);
    }

    @Override
    public String toString() {
        return "SetDataRequest[" + "path=" + path + ", " + "data=" + (data == null ? "null" : data.length + " bytes") + ", " + "version=" + version + "]";
    }
}
