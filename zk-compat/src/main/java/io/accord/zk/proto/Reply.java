package io.accord.zk.proto;

import io.netty.buffer.ByteBuf;

/**
 * A reply frame: header and, when {@code header.err() == 0} (or for the few documented exceptions), a body.
 *
 * <pre>
 *   0 int xid   4 long zxid   12 int err   16 body...
 * </pre>
 */
public record Reply(ReplyHeader header, JuteRecord body) implements ServerFrame {
    public static final int NOTIFICATION_XID = -1;
    public static final int PING_XID = -2;
    /** WatcherEvent state SyncConnected: the only state a server sends. */
    public static final int STATE_SYNC_CONNECTED = 3;

    public static Reply of(int xid, long zxid, int err) {
        return new Reply(new ReplyHeader(xid, zxid, err), null);
    }

    public static Reply of(int xid, long zxid, JuteRecord body) {
        return new Reply(new ReplyHeader(xid, zxid, 0), body);
    }

    public static Reply notification(long zxid, int eventType, String path) {
        return new Reply(new ReplyHeader(NOTIFICATION_XID, zxid, 0),
                new WatcherEvent(eventType, STATE_SYNC_CONNECTED, path));
    }

    @Override
    public void write(ByteBuf out) {
        header.write(out);
        if (body != null) {
            body.write(out);
        }
    }
}
