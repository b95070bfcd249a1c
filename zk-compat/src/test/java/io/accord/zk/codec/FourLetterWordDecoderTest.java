package io.accord.zk.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.proto.ConnectRequest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FourLetterWordDecoderTest {
    private final CodecTestSupport support = new CodecTestSupport();

    @Test
    void knownWordIsDetectedAndTheRestSwallowed() {
        EmbeddedChannel channel = new EmbeddedChannel(new FourLetterWordDecoder(), new FrameDecoder(100));
        support.feedByteByByte(channel, "ruok\n".getBytes(StandardCharsets.US_ASCII));
        List<Object> out = CodecTestSupport.inbound(channel);
        assertEquals(List.of(new FourLetterWord("ruok", 0)), out);
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void stmkCarriesAnEightByteArgument() {
        EmbeddedChannel channel = new EmbeddedChannel(new FourLetterWordDecoder());
        byte[] bytes = CodecTestSupport.concat("stmk".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 0, 0, 0, 0, 0, 1, 2});
        support.feedByteByByte(channel, bytes);
        assertEquals(List.of(new FourLetterWord("stmk", 258)), CodecTestSupport.inbound(channel));
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void connectRequestPassesThroughAndTheDetectorRemovesItself() {
        EmbeddedChannel channel = new EmbeddedChannel(new FourLetterWordDecoder(), new FrameDecoder(1000),
                new ConnectRequestDecoder(1000));
        ConnectRequest request = new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true);
        support.feedByteByByte(channel, CodecTestSupport.frame(request));
        assertEquals(List.of(request), CodecTestSupport.inbound(channel));
        assertNull(channel.pipeline().get(FourLetterWordDecoder.class));
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void unknownWordIsJustAnOversizedLength() {
        EmbeddedChannel channel = new EmbeddedChannel(new FourLetterWordDecoder(), new FrameDecoder(0xfffff));
        assertThrows(TooLongFrameException.class,
                () -> support.feedByteByByte(channel, "xyzw".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(CodecTestSupport.inbound(channel).isEmpty());
        channel.finishAndReleaseAll();
        support.assertAllReleased();
    }

    @Test
    void wordsAreOnlyLowerCaseLetters() {
        assertEquals("srvr", FourLetterWord.wordOf(0x73727672));
        assertNull(FourLetterWord.wordOf(0x53525652)); // SRVR
        assertNull(FourLetterWord.wordOf(45));
    }
}
