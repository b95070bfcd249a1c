package io.accord.zk.proto;

import io.accord.core.acl.Acl;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * create (1), create2 (15), createContainer (19); {@code data} null and empty are distinct.
 *
 * <p>Wire layout: {@code ustring path, buffer data, vector<ACL> acl, int flags}.
 */
public record CreateRequest(String path, byte[] data, List<Acl> acl, int flags) implements JuteRecord {

    public static CreateRequest read(JuteInput in) {
        return new CreateRequest(in.readString(), in.readBuffer(), in.readAclList(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBuffer(out, data);
        JuteOutput.writeAclList(out, acl);
        out.writeInt(flags);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CreateRequest o && Objects.equals(path, o.path)
                && Arrays.equals(data, o.data)
                && Objects.equals(acl, o.acl)
                && flags == o.flags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, flags);
    }

    @Override
    public String toString() {
        return "CreateRequest[" + "path=" + path
                + ", " + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "acl=" + acl
                + ", " + "flags=" + flags + "]";
    }
}
