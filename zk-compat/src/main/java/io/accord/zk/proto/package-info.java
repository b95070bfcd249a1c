/**
 * One immutable record per jute record of the ZooKeeper 3.9 client protocol (PROTOCOL.md 3.1, 5, 6), each able to
 * read and write itself, plus the {@link io.accord.zk.proto.OpCode} table (with each op's request reader) and the
 * {@link io.accord.zk.proto.Code} error table. What the decoders emit implements {@link
 * io.accord.zk.proto.ClientFrame}; what the server sends implements {@link io.accord.zk.proto.ServerFrame}.
 */
package io.accord.zk.proto;
