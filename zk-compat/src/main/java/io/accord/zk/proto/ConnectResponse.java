package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The first server frame, without a reply header.
 *
 * <pre>
 *   0 int protocolVersion   4 int timeOut   8 long sessionId   16 buffer passwd (int 16 + 16 bytes)
 *  36 [boolean readOnly]                                                  = 36 or 37 bytes
 * </pre>
 *
 * The readOnly byte is written only when the client sent one (ZooKeeper 3.9.3+ mirrors the client). A timeOut of
 * 0 tells the client that its session expired.
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, boolean readOnly,
                              boolean readOnlyPresent) implements ServerFrame {

    /** The answer to a reconnect whose session is gone or whose password is wrong. */
    public static ConnectResponse expired(boolean readOnlyPresent) {
        return new ConnectResponse(0, 0, 0, new byte[16], false, readOnlyPresent);
    }

    public static ConnectResponse read(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.readableBytes() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, present);
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(protocolVersion);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        JuteOutput.writeBuffer(out, passwd);
        if (readOnlyPresent) {
            JuteOutput.writeBool(out, readOnly);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectResponse o && protocolVersion == o.protocolVersion && timeOut == o.timeOut
                && sessionId == o.sessionId && Arrays.equals(passwd, o.passwd) && readOnly == o.readOnly
                && readOnlyPresent == o.readOnlyPresent;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sessionId) * 31 + Arrays.hashCode(passwd);
    }

    @Override
    public String toString() {
        return "ConnectResponse[timeOut=" + timeOut + ", sessionId=0x" + Long.toHexString(sessionId)
                + ", readOnly=" + (readOnlyPresent ? readOnly : "absent") + "]";
    }
}
