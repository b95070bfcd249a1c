package io.accord.zk.proto;

/**
 * A decoded request frame.
 *
 * @param body the request record, or null for ops without one (ping, closeSession, whoAmI)
 */
public record ClientRequest(RequestHeader header, OpCode op, JuteRecord body) implements ClientFrame {
    public int xid() {
        return header.xid();
    }
}
