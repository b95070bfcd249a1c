package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;

/**
 * createSession (-10) sent by a client. ZooKeeper makes this opcode inside the server from a ConnectRequest;
 * a client that sends it anyway on an established connection gets, from ZooKeeper 3.9.5 (observed): with fewer
 * than 4 body bytes, MARSHALLINGERROR with a new zxid; with a 4-byte timeout (ignored), the connection's
 * ConnectResponse once more. Either way one zxid is used and the connection stays open.
 *
 * <p>Wire layout: {@code int timeOut}, optional here because ZooKeeper reads it only when present.
 *
 * @param hasTimeOut whether the body held at least 4 bytes
 * @param timeOut    the int read from them, or 0
 */
public record CreateSessionRequest(boolean hasTimeOut, int timeOut) implements JuteRecord {

    public static CreateSessionRequest read(JuteInput in) {
        return in.readableBytes() >= 4 ? new CreateSessionRequest(true, in.readInt()) : new CreateSessionRequest(false, 0);
    }

    @Override
    public void write(ByteBuf out) {
        if (hasTimeOut) {
            out.writeInt(timeOut);
        }
    }
}
