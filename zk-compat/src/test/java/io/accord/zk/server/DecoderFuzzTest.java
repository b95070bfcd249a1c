package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.accord.zk.codec.ConnectRequestDecoder;
import io.accord.zk.codec.FourLetterWord;
import io.accord.zk.codec.FourLetterWordDecoder;
import io.accord.zk.codec.FrameDecoder;
import io.accord.zk.jute.JuteException;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.MalformedRequest;
import io.accord.zk.proto.UnknownRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The inbound decoders of a client connection (four-letter-word detection, frames, ConnectRequest, requests), as
 * the server builds them, fed hostile streams from {@link HostileInput} on an EmbeddedChannel: fast, so many
 * iterations ({@code -Dfuzz.iterations=N} for more).
 *
 * <p>Properties: the decoders only ever emit protocol messages or fail with a decoding error (a {@link
 * JuteException}, or a too-long frame), never another exception; a stream delivered in
 * random fragments decodes exactly as the whole stream does; every fed buffer is released; Netty's paranoid leak
 * detector reports nothing.
 */
class DecoderFuzzTest {
    private static final int MAX_FRAME = 4096;

    @AfterAll
    static void noLeaks() {
        LeakRecorder.assertNoLeaks();
    }

    @Test
    void hostileStreamsOnlyDecodeOrFailCleanly() {
        int iterations = HostileInput.iterations(4000);
        HostileInput input = new HostileInput(0x5eed, MAX_FRAME);
        int failed = 0;
        for (int i = 0; i < iterations; i++) {
            HostileInput.Case c = input.next();
            String where = "case " + i + " (" + c.kind() + "): " + HexFormat.of().formatHex(c.bytes(), 0,
                    Math.min(c.bytes().length, 96));
            Outcome whole = decode(List.of(c.bytes()), where);
            Outcome pieces = decode(input.chunks(c.bytes()), where);
            assertEquals(whole, pieces, "fragmentation changed the decoding of " + where);
            if (whole.error() != null) {
                failed++;
            }
        }
        assertTrue(failed > iterations / 10, "the generator should produce many undecodable streams: " + failed);
    }

    /** What the decoders made of a stream: the messages (as comparable text) and the first error, if any. */
    private record Outcome(List<String> messages, String error) {
    }

    private static Outcome decode(List<byte[]> chunks, String where) {
        Sink sink = new Sink();
        EmbeddedChannel channel = new EmbeddedChannel(new FourLetterWordDecoder(), new FrameDecoder(MAX_FRAME),
                new ConnectRequestDecoder(MAX_FRAME), sink);
        List<ByteBuf> fed = new ArrayList<>();
        for (byte[] chunk : chunks) {
            if (!channel.isOpen()) {
                break; // the server stops reading a connection it failed
            }
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(chunk.length).writeBytes(chunk);
            fed.add(buf);
            channel.writeInbound(buf);
        }
        channel.finishAndReleaseAll();
        for (ByteBuf buf : fed) {
            assertEquals(0, buf.refCnt(), "a fed buffer was kept: " + where);
        }
        if (sink.unexpected != null) {
            throw new AssertionError("the decoders threw an unexpected exception for " + where, sink.unexpected);
        }
        return new Outcome(sink.messages, sink.error);
    }

    /** The end of the pipeline: records messages and errors, and closes on an error as the server does. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final List<String> messages = new ArrayList<>();
        String error;
        Throwable unexpected;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                String text = describe(msg);
                if (error == null) { // after a failure the server ignores what is still decoded while closing
                    messages.add(text);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            boolean expected = cause instanceof TooLongFrameException || cause instanceof JuteException;
            if (!expected && unexpected == null) {
                unexpected = cause;
            }
            if (error == null) {
                error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
            ctx.close();
        }

        private static String describe(Object msg) {
            if (msg instanceof ConnectRequest connect) {
                return "connect " + HexFormat.of().formatHex(HostileInput.bytes(connect));
            } else if (msg instanceof ClientRequest request) {
                return "request " + request.header() + " " + request.op() + " "
                        + (request.body() == null ? "-" : HexFormat.of().formatHex(HostileInput.bytes(request.body())));
            } else if (msg instanceof MalformedRequest || msg instanceof UnknownRequest
                    || msg instanceof FourLetterWord) {
                return msg.toString();
            }
            fail("the decoders emitted " + msg.getClass().getName() + ": " + msg);
            return null;
        }
    }
}
