package io.accord.zk.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.zk.proto.JuteRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Feeds an EmbeddedChannel one byte at a time and checks that every fed buffer is released. */
final class CodecTestSupport {
    static final int MAX = 0xfffff;

    private final List<ByteBuf> fed = new ArrayList<>();

    /** A frame: 4-byte length + the records back to back. */
    static byte[] frame(JuteRecord... records) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(0);
        for (JuteRecord r : records) {
            r.write(buf);
        }
        buf.setInt(0, buf.readableBytes() - 4);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /** Writes each byte as its own buffer. */
    void feedByteByByte(EmbeddedChannel channel, byte[] bytes) {
        for (byte b : bytes) {
            ByteBuf one = Unpooled.buffer(1).writeByte(b);
            fed.add(one);
            channel.writeInbound(one);
        }
    }

    void assertAllReleased() {
        for (ByteBuf buf : fed) {
            assertEquals(0, buf.refCnt(), "a fed buffer was not released");
        }
    }

    /** Drains inbound messages; ByteBufs among them are copied out and released. */
    static List<Object> inbound(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = channel.readInbound()) != null) {
            if (m instanceof ByteBuf b) {
                byte[] copy = new byte[b.readableBytes()];
                b.readBytes(copy);
                b.release();
                out.add(copy);
            } else {
                out.add(m);
            }
        }
        return out;
    }
}
