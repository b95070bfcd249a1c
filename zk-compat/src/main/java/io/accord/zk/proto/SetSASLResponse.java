package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reply to sasl (102).
 *
 * <p>Wire layout: {@code buffer token}.
 */
public record SetSASLResponse(byte[] token) implements JuteRecord {

    public static SetSASLResponse read(JuteInput in) {
        return new SetSASLResponse(in.readBuffer());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeBuffer(out, token);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SetSASLResponse o && Arrays.equals(token, o.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(token));
    }

    @Override
    public String toString() {
        return "SetSASLResponse[" + "token=" + (token == null ? "null" : token.length + " bytes") + "]";
    }
}
