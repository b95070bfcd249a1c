package io.accord.zk.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final CodecTestSupport support = new CodecTestSupport();

    @Test
    void framesFedOneByteAtATimeComeOutWhole() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
        byte[] a = {0, 0, 0, 3, 1, 2, 3};
        byte[] empty = {0, 0, 0, 0};
        byte[] b = {0, 0, 0, 1, 9};
        support.feedByteByByte(channel, CodecTestSupport.concat(a, empty, b));
        List<Object> out = CodecTestSupport.inbound(channel);
        assertEquals(3, out.size());
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) out.get(0));
        assertArrayEquals(new byte[0], (byte[]) out.get(1));
        assertArrayEquals(new byte[] {9}, (byte[]) out.get(2));
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void frameOfExactlyTheMaximumIsAccepted() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(5));
        support.feedByteByByte(channel, new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5});
        assertEquals(1, CodecTestSupport.inbound(channel).size());
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void lengthAboveTheMaximumFailsBeforeThePayloadArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(CodecTestSupport.MAX));
        support.feedByteByByte(channel, new byte[] {0, 0x10, 0});
        TooLongFrameException e = assertThrows(TooLongFrameException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0})));
        assertEquals("length: 1048576 (expected: 0...1048575)", e.getMessage());
        assertTrue(CodecTestSupport.inbound(channel).isEmpty());
        // later bytes are swallowed, never decoded
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 7}));
        assertTrue(CodecTestSupport.inbound(channel).isEmpty());
        channel.finishAndReleaseAll();
        support.assertAllReleased();
    }

    @Test
    void negativeLengthFails() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
        TooLongFrameException e = assertThrows(TooLongFrameException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xf4, (byte) 0xff,
                        (byte) 0xfd})));
        assertTrue(e.getMessage().startsWith("length: -"));
        channel.finishAndReleaseAll();
    }
}
