package io.accord.zk.proto;

import io.accord.core.acl.Acl;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * setACL (7); version is the expected aversion.
 *
 * <p>Wire layout: {@code ustring path, vector<ACL> acl, int version}.
 */
public record SetACLRequest(String path, List<Acl> acl, int version) implements JuteRecord {

    public static SetACLRequest read(JuteInput in) {
        return new SetACLRequest(in.readString(), in.readAclList(), in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, path);
        JuteOutput.writeAclList(out, acl);
        out.writeInt(version);
    }
}
