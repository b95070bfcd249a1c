package io.accord.zk.jute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class JuteInputTest {

    private static JuteInput in(int max, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new JuteInput(Unpooled.wrappedBuffer(b), max);
    }

    @Test
    void minusOneIsNullAndZeroIsEmpty() {
        JuteInput in = in(100, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
        assertNull(in.readBuffer());
        assertArrayEquals(new byte[0], in.readBuffer());
        assertNull(in.readString());
        assertEquals("", in.readString());
        assertNull(in(100, 0xff, 0xff, 0xff, 0xff).readStringList());
        assertEquals(List.of(), in(100, 0, 0, 0, 0).readAclList());
    }

    @Test
    void lengthAboveTheLimitFailsBeforeAllocating() {
        JuteException e = assertThrows(JuteException.class, () -> in(1048575, 0, 0x1e, 0x84, 0x80).readBuffer());
        assertEquals("buffer length: 2000000 (expected: -1...1048575)", e.getMessage());
    }

    @Test
    void lengthBelowMinusOneFails() {
        assertThrows(JuteException.class, () -> in(100, 0xff, 0xff, 0xff, 0xfe).readString());
    }

    @Test
    void lengthPastTheEndOfTheRecordFails() {
        JuteException e = assertThrows(JuteException.class, () -> in(100, 0, 0, 0, 5, 'a', 'b').readString());
        assertEquals("ustring: 5 bytes needed, 2 left", e.getMessage());
    }

    @Test
    void truncatedPrimitivesFail() {
        assertThrows(JuteException.class, () -> in(100, 0, 0, 0).readInt());
        assertThrows(JuteException.class, () -> in(100, 0, 0, 0, 0, 0, 0, 0).readLong());
        assertThrows(JuteException.class, () -> in(100).readBool());
    }

    @Test
    void vectorCountThatCannotFitFails() {
        JuteException e = assertThrows(JuteException.class, () -> in(1000, 0, 0, 0, 3, 0, 0, 0, 0).readStringList());
        assertTrue(e.getMessage().startsWith("vector<ustring> count: 3 (expected: <= 1"), e.getMessage());
    }

    @Test
    void vectorCountBelowMinusOneIsEmptyAsZooKeeperReadsIt() throws Exception {
        // found by FuzzDifferentialTest: ZooKeeper answered a setWatches with such counts OK, Accord MARSHALLINGERROR
        byte[] bytes = {(byte) 0xe1, (byte) 0x8e, 0x1d, 0x25};
        assertEquals(java.util.List.of(), in(100, 0xe1, 0x8e, 0x1d, 0x25).readStringList());
        assertEquals(java.util.List.of(), in(100, 0xff, 0xff, 0xff, 0xfe).readAclList());
        org.apache.jute.BinaryInputArchive zk = org.apache.jute.BinaryInputArchive.getArchive(
                new java.io.ByteArrayInputStream(bytes));
        assertTrue(zk.startVector("v").done(), "ZooKeeper's reader: no elements");
    }

    @Test
    void anyNonZeroByteIsTrue() {
        JuteInput in = in(100, 0, 1, 7, 0xff);
        assertEquals(false, in.readBool());
        assertEquals(true, in.readBool());
        assertEquals(true, in.readBool());
        assertEquals(true, in.readBool());
    }

    @Test
    void stringsRoundTripAndMalformedUtf8IsReplacedAsJavaDoes() {
        ByteBuf buf = Unpooled.buffer();
        JuteOutput.writeString(buf, "/ä€");
        assertEquals("/ä€", new JuteInput(buf, 100).readString());
        assertEquals("/\uFFFD(", in(100, 0, 0, 0, 3, '/', 0xc3, 0x28).readString());
    }
}
