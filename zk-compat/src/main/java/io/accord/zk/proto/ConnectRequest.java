package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The first client frame, without a request header.
 *
 * <pre>
 *   0 int protocolVersion   4 long lastZxidSeen   12 int timeOut   16 long sessionId
 *  24 buffer passwd (int 16 + 16 bytes)   44 [boolean readOnly]      = 44 or 45 bytes
 * </pre>
 *
 * The readOnly byte is optional (3.3-era Java, node and go clients omit it); {@code readOnlyPresent} records
 * whether it was there so that the response can mirror it.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd,
                             boolean readOnly, boolean readOnlyPresent) implements ClientFrame, JuteRecord {

    public static ConnectRequest read(JuteInput in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean present = in.readableBytes() > 0;
        boolean readOnly = present && in.readBool();
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, present);
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(protocolVersion);
        out.writeLong(lastZxidSeen);
        out.writeInt(timeOut);
        out.writeLong(sessionId);
        JuteOutput.writeBuffer(out, passwd);
        if (readOnlyPresent) {
            JuteOutput.writeBool(out, readOnly);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectRequest o && protocolVersion == o.protocolVersion
                && lastZxidSeen == o.lastZxidSeen && timeOut == o.timeOut && sessionId == o.sessionId
                && Arrays.equals(passwd, o.passwd) && readOnly == o.readOnly && readOnlyPresent == o.readOnlyPresent;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sessionId) * 31 + Arrays.hashCode(passwd);
    }

    @Override
    public String toString() {
        return "ConnectRequest[protocolVersion=" + protocolVersion + ", lastZxidSeen=0x"
                + Long.toHexString(lastZxidSeen) + ", timeOut=" + timeOut + ", sessionId=0x"
                + Long.toHexString(sessionId) + ", readOnly=" + (readOnlyPresent ? readOnly : "absent") + "]";
    }
}
