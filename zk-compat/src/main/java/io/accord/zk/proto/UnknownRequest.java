package io.accord.zk.proto;

/** A request with an opcode ZooKeeper does not know: answered UNIMPLEMENTED with zxid -1, then closed. */
public record UnknownRequest(RequestHeader header) implements ClientFrame {
}
