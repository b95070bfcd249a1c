package io.accord.zk.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in every client pipeline: counts the bytes read and written (four-letter-word answers included). The
 * frames sent, and their sizes, are counted where they are encoded ({@link Connection}). One instance serves all
 * connections of a node.
 */
@Sharable
final class TrafficCounter extends ChannelDuplexHandler {
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
            stats.bytesSent(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
