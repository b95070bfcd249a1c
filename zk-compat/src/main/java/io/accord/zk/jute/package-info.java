/**
 * Jute, ZooKeeper's binary record encoding, over Netty {@link io.netty.buffer.ByteBuf}s: {@link
 * io.accord.zk.jute.JuteInput} reads primitives with every length checked against a limit and the bytes left
 * before anything is allocated; {@link io.accord.zk.jute.JuteOutput} writes them. Null buffers, strings and
 * vectors (length -1) stay distinct from empty ones.
 */
package io.accord.zk.jute;
