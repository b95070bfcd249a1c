package io.accord.zk.proto;

import io.accord.core.acl.Acl;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * createTTL (21): a {@link CreateRequest} with a TTL in milliseconds.
 *
 * <p>Wire layout: {@code ustring path, buffer data, vector<ACL> acl, int flags, long ttl}.
 */
public record CreateTTLRequest(String path, byte[] data, List<Acl> acl, int flags, long ttl) implements JuteRecord {

    public static CreateTTLRequest read(JuteInput in) {
        return new CreateTTLRequest(in.readString(), in.readBuffer(), in.readAclList(), in.readInt(), in.readLong());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeBuffer(out, data);
        JuteOutput.writeAclList(out, acl);
        out.writeInt(flags);
        out.writeLong(ttl);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CreateTTLRequest o && Objects.equals(path, o.path)
                && Arrays.equals(data, o.data)
                && Objects.equals(acl, o.acl)
                && flags == o.flags
                && ttl == o.ttl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, Arrays.hashCode(data), acl, flags, ttl);
    }

    @Override
    public String toString() {
        return "CreateTTLRequest[" + "path=" + path
                + ", " + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "acl=" + acl
                + ", " + "flags=" + flags
                + ", " + "ttl=" + ttl + "]";
    }
}
