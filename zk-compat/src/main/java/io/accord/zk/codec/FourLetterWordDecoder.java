package io.accord.zk.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Looks at the first 4 bytes of a new connection. If they spell a known four-letter word, emits a
 * {@link FourLetterWord} and swallows everything after it (the connection is answered and closed). Otherwise it
 * removes itself and the bytes flow on, unchanged, to the frame decoder (a ConnectRequest length of 44 or 45 can
 * never spell a word). Anything else in those 4 bytes, an unknown word included, is just a frame length.
 */
public final class FourLetterWordDecoder extends ByteToMessageDecoder {
    private boolean matched;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (matched) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        String word = FourLetterWord.wordOf(in.getInt(in.readerIndex()));
        if (word == null) {
            ctx.pipeline().remove(this);
            return;
        }
        long argument = 0;
        if (word.equals("stmk")) {
            if (in.readableBytes() < 12) {
                return;
            }
            argument = in.getLong(in.readerIndex() + 4);
        }
        matched = true;
        in.skipBytes(in.readableBytes());
        out.add(new FourLetterWord(word, argument));
    }
}
