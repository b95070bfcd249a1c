package io.accord.zk.proto;

import io.accord.core.acl.Acl;
import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Reply to getACL (6).
 *
 * <p>Wire layout: {@code vector<ACL> acl, Stat stat}.
 */
public record GetACLResponse(List<Acl> acl, Stat stat) implements JuteRecord {

    public static GetACLResponse read(JuteInput in) {
        return new GetACLResponse(in.readAclList(), in.readStat());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeAclList(out, acl);
        JuteOutput.writeStat(out, stat);
    }
}
