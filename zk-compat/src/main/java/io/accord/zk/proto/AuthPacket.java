package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * auth (100), conventionally on xid -4; type is always 0.
 *
 * <p>Wire layout: {@code int type, ustring scheme, buffer auth}.
 */
public record AuthPacket(int type, String scheme, byte[] auth) implements JuteRecord {

    public static AuthPacket read(JuteInput in) {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(type);
        JuteOutput.writeString(out, scheme);
        JuteOutput.writeBuffer(out, auth);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthPacket o && type == o.type
                && Objects.equals(scheme, o.scheme)
                && Arrays.equals(auth, o.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, scheme, Arrays.hashCode(auth));
    }

    @Override
    public String toString() {
        return "AuthPacket[" + "type=" + type
                + ", " + "scheme=" + scheme
                + ", " + "auth=" + (auth == null ? "null" : auth.length + " bytes") + "]";
    }
}
