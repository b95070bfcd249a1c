package io.accord.zk.proto;

import io.netty.buffer.ByteBuf;

/** A jute record: fields back to back in IDL order, no tags, no padding, no length prefix. */
public interface JuteRecord {
    void write(ByteBuf out);
}
