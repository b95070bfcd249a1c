package io.accord.zk.proto;

/**
 * A request of a known opcode whose body could not be read: answered with MARSHALLINGERROR (-5), and the
 * connection stays open (as ZooKeeper does).
 */
public record MalformedRequest(RequestHeader header, OpCode op, String reason) implements ClientFrame {
}
