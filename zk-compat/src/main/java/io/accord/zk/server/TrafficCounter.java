package io.accord.zk.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;

/**
 * First in every client pipeline: counts the bytes read and written, and the size of every frame sent (without
 * its 4-byte length) as ZooKeeper's client response size. A four-letter-word answer is marked with {@link
 * #FOUR_LETTER_WORD} and not taken as a response. One instance serves all connections of a node.
 */
@Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    /** Set on a connection that is answering a four-letter word. */
    static final AttributeKey<Boolean> FOUR_LETTER_WORD = AttributeKey.valueOf("accord.fourLetterWord");

    private final ServerStats stats;

    TrafficCounter(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            stats.bytesReceived(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            int bytes = buf.readableBytes();
            stats.bytesSent(bytes);
            if (bytes >= 4 && ctx.channel().attr(FOUR_LETTER_WORD).get() == null) {
                stats.responseSize(bytes - 4);
            }
        }
        ctx.write(msg, promise);
    }
}
