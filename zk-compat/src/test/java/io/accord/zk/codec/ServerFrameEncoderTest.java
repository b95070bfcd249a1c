package io.accord.zk.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Frames from PROTOCOL.md appendix A. */
class ServerFrameEncoderTest {

    private static String encode(Object frame) {
        EmbeddedChannel channel = new EmbeddedChannel(ServerFrameEncoder.INSTANCE);
        assertTrue(channel.writeOutbound(frame));
        ByteBuf out = channel.readOutbound();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
            assertFalse(channel.finish());
        }
    }

    @Test
    void errorReplyHasNoBody() {
        assertEquals("00000010" + "00000002" + "0000000000000037" + "ffffff9b", encode(Reply.of(2, 0x37, -101)));
    }

    @Test
    void pingReply() {
        assertEquals("00000010" + "fffffffe" + "0000000000000037" + "00000000", encode(Reply.of(-2, 0x37, 0)));
    }

    @Test
    void connectResponseMirrorsTheReadOnlyByte() {
        byte[] pw = ByteBufUtil.decodeHexDump("000102030405060708090a0b0c0d0e0f");
        String body = "00000000" + "00007530" + "0100000aef51000d" + "00000010" + "000102030405060708090a0b0c0d0e0f";
        assertEquals("00000025" + body + "00",
                encode(new ConnectResponse(0, 30_000, 0x0100000aef51000dL, pw, false, true)));
        assertEquals("00000024" + body, encode(new ConnectResponse(0, 30_000, 0x0100000aef51000dL, pw, false, false)));
    }

    @Test
    void expiredResponseIsAllZeros() {
        assertEquals("00000025" + "00000000" + "00000000" + "0000000000000000" + "00000010" + "00".repeat(16) + "00",
                encode(ConnectResponse.expired(true)));
    }

    @Test
    void notification() {
        assertEquals("0000001f" + "ffffffff" + "0000000000000024" + "00000000" + "00000003" + "00000003" + "00000003"
                + "2f6d77", encode(Reply.notification(0x24, 3, "/mw")));
    }
}
