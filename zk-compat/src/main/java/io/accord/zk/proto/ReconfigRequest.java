package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * reconfig (16).
 *
 * <p>Wire layout: {@code ustring joiningServers, ustring leavingServers, ustring newMembers, long curConfigId}.
 */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId) implements JuteRecord {

    public static ReconfigRequest read(JuteInput in) {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, joiningServers);
        JuteOutput.writeString(out, leavingServers);
        JuteOutput.writeString(out, newMembers);
        out.writeLong(curConfigId);
    }
}
