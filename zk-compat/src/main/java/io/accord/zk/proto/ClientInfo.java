package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;

/**
 * One entry of a whoAmI reply.
 *
 * <p>Wire layout: {@code ustring authScheme, ustring user}.
 */
public record ClientInfo(String authScheme, String user) implements JuteRecord {

    public static ClientInfo read(JuteInput in) {
        return new ClientInfo(in.readString(), in.readString());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeString(out, authScheme);
        JuteOutput.writeString(out, user);
    }
}
