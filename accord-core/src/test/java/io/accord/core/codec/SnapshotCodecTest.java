package io.accord.core.codec;

import static io.accord.core.codec.Deep.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.image.MetaImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    private static byte[] write(RandomImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.Writer w = SnapshotCodec.writer(out);
        image.writeTo(w);
        SnapshotCodec.Summary s = w.finish();
        assertEquals(out.size(), s.bytes());
        assertDeepEquals(image.meta, s.meta());
        return out.toByteArray();
    }

    @Test
    void aRandomImageRoundTripsRecordForRecord() throws IOException {
        RandomImage image = new RandomImage(42, 5000);
        byte[] bytes = write(image);
        RandomImage.Collector c = new RandomImage.Collector();
        SnapshotCodec.Summary s = SnapshotCodec.read(new ByteArrayInputStream(bytes), c);
        assertDeepEquals(image.records(), c.records);
        assertEquals(3, s.acls());
        assertEquals(5000, s.nodes());
        assertEquals(5, s.sessions());
        assertEquals(bytes.length, s.bytes());
        assertDeepEquals(image.meta, s.meta());
    }

    @Test
    void nullOriginSequencesAndAnEmptyImageRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.Writer w = SnapshotCodec.writer(out);
        MetaImage meta = new MetaImage(1, 2, 3, 4, 5, null);
        w.meta(meta);
        w.finish();
        RandomImage.Collector c = new RandomImage.Collector();
        SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray()), c);
        assertDeepEquals(List.of(meta), c.records);
        MetaImage empty = new MetaImage(0, 0, 0, 0, 0, new TreeMap<>());
        out.reset();
        w = SnapshotCodec.writer(out);
        w.meta(empty);
        w.finish();
        c = new RandomImage.Collector();
        SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray()), c);
        assertDeepEquals(List.of(empty), c.records);
    }

    /** A record whose CRC lands just past the writer's buffer grows it; the grown buffer is what must be written. */
    @Test
    void nodesOfEverySizeAroundTheBufferGrowthRoundTrip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.Writer w = SnapshotCodec.writer(out);
        MetaImage meta = new MetaImage(1, 2, 3, 4, 5, new TreeMap<>());
        w.meta(meta);
        int n = 0;
        for (int size : new int[] {4096, 8192, 16384}) {
            for (int len = size - 160; len <= size + 16; len++) {
                byte[] data = new byte[len];
                data[len - 1] = (byte) len;
                w.node(new io.accord.core.image.NodeImage("/n" + n++, data, 1, 2, 3, 4, 5, 6, 7, 8, 0, -1));
            }
        }
        SnapshotCodec.Summary s = w.finish();
        RandomImage.Collector c = new RandomImage.Collector();
        assertEquals(s, SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray()), c));
        assertEquals(n, s.nodes());
        assertEquals(n + 1, c.records.size());
    }

    @Test
    void writerRejectsRecordsOutOfImageOrder() {
        RandomImage image = new RandomImage(1, 3);
        SnapshotCodec.Writer w = SnapshotCodec.writer(OutputStream.nullOutputStream());
        assertThrows(IllegalStateException.class, () -> w.node(image.nodes.get(0)));
        w.meta(image.meta);
        w.node(image.nodes.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.acl(image.acls.get(0)));
        assertEquals("acl after node (expected order: meta, acls, nodes, sessions, end)", e.getMessage());
    }

    @Test
    void everyTruncationFailsAndTheSinkOnlyEverSawWholeRecords() throws IOException {
        RandomImage image = new RandomImage(3, 40);
        byte[] bytes = write(image);
        List<Object> all = image.records();
        int lastCount = -1;
        for (int len = 0; len < bytes.length; len++) {
            RandomImage.Collector c = new RandomImage.Collector();
            InputStream in = new ByteArrayInputStream(bytes, 0, len);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> SnapshotCodec.read(in, c));
            assertTrue(e.getMessage().startsWith("snapshot"), e.getMessage());
            assertTrue(c.records.size() >= lastCount, "a longer prefix handed over fewer records");
            if (c.records.size() != lastCount) { // same count as the previous prefix means the same records
                assertDeepEquals(all.subList(0, c.records.size()), c.records);
                lastCount = c.records.size();
            }
        }
    }

    @Test
    void truncationMessageSaysWhatWasMissing() throws IOException {
        byte[] bytes = write(new RandomImage(3, 10));
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(bytes, 0, bytes.length - 33), new RandomImage.Collector()));
        assertTrue(e.getMessage().matches("snapshot record 19 at byte \\d+: truncated: end of stream before the end record "
                + "\\(read 3 acls, 10 nodes, 5 sessions\\)"), e.getMessage());
    }

    @Test
    void seededBitFlipsAreDetected() throws IOException {
        byte[] bytes = write(new RandomImage(5, 300));
        Random rnd = new Random(99);
        for (int i = 0; i < 3000; i++) {
            byte[] copy = bytes.clone();
            int bit = rnd.nextInt(copy.length * 8);
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(CorruptDataException.class,
                    () -> SnapshotCodec.read(new ByteArrayInputStream(copy), new RandomImage.Collector()), "bit " + bit);
        }
    }

    @Test
    void seededGarbageInsideRecordsWithValidCrcsFailsOnlyWithTheCodecException() throws IOException {
        byte[] bytes = write(new RandomImage(12, 60));
        // record boundaries, so the fuzzer can re-seal the record it damaged
        List<int[]> records = new java.util.ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = SnapshotCodec.FILE_HEADER_LENGTH; at < bytes.length; ) {
            int bodyLength = b.getInt(at);
            records.add(new int[] {at, bodyLength});
            at += SnapshotCodec.RECORD_HEADER_LENGTH + bodyLength + SnapshotCodec.RECORD_TRAILER_LENGTH;
        }
        Random rnd = new Random(31);
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] copy = bytes.clone();
            int[] r = records.get(rnd.nextInt(records.size()));
            int bodyStart = r[0] + SnapshotCodec.RECORD_HEADER_LENGTH - 1; // include the type byte
            for (int f = 0; f < 1 + rnd.nextInt(3); f++) {
                copy[bodyStart + rnd.nextInt(r[1] + 1)] = (byte) rnd.nextInt();
            }
            CRC32C crc = new CRC32C();
            crc.update(copy, r[0], SnapshotCodec.RECORD_HEADER_LENGTH + r[1]);
            ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(r[0] + SnapshotCodec.RECORD_HEADER_LENGTH + r[1], (int) crc.getValue());
            try {
                SnapshotCodec.read(new ByteArrayInputStream(copy), new RandomImage.Collector());
            } catch (CorruptDataException expected) {
                assertTrue(expected.getMessage().startsWith("snapshot"), expected.getMessage());
                rejected++;
            } catch (RuntimeException | Error other) {
                throw new AssertionError("input " + i + " failed with " + other, other);
            }
        }
        assertTrue(rejected > 0, "structural damage must be detected");
    }

    @Test
    void otherVersionsBadMagicAndTrailingBytesAreRejected() throws IOException {
        byte[] bytes = write(new RandomImage(6, 5));
        byte[] v = bytes.clone();
        v[8] = 9;
        CRC32C crc = new CRC32C();
        crc.update(v, 0, 12);
        ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).putInt(12, (int) crc.getValue());
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(v), new RandomImage.Collector()));
        assertTrue(e.getMessage().startsWith("snapshot: unsupported schema version: 9 (expected: 1"), e.getMessage());

        byte[] m = bytes.clone();
        m[0] = 'X';
        e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(m), new RandomImage.Collector()));
        assertEquals("snapshot: bad magic (not an Accord snapshot)", e.getMessage());

        byte[] t = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(t), new RandomImage.Collector()));
        assertTrue(e.getMessage().endsWith("(end): trailing bytes after the end record"), e.getMessage());
    }

    @Test
    void aHostileRecordLengthIsRejectedBeforeReading() throws IOException {
        byte[] bytes = write(new RandomImage(6, 5));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(SnapshotCodec.FILE_HEADER_LENGTH, Integer.MAX_VALUE);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(bytes), new RandomImage.Collector()));
        assertEquals("snapshot record 0 at byte 16: record length: 2147483647 (expected: 0..67108864)", e.getMessage());
        // within the limit but beyond the stream: fails as truncated without allocating the claimed length
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(SnapshotCodec.FILE_HEADER_LENGTH, 60 << 20);
        e = assertThrows(CorruptDataException.class,
                () -> SnapshotCodec.read(new ByteArrayInputStream(bytes), new RandomImage.Collector()));
        assertTrue(e.getMessage().contains("truncated: record of"), e.getMessage());
    }

    @Test
    void aLargeSnapshotStreamsThroughAPipeWithoutBeingHeldWhole() throws Exception {
        // 200k nodes written on one thread and read on another through a 64 KiB pipe: neither side holds it all
        RandomImage image = new RandomImage(8, 200_000);
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (out) {
                SnapshotCodec.Writer w = SnapshotCodec.writer(out);
                image.writeTo(w);
                w.finish();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        long[] count = new long[1];
        SnapshotCodec.Summary s = SnapshotCodec.read(in, new io.accord.core.image.ImageSink() {
            int i;

            @Override
            public void meta(MetaImage meta) {
            }

            @Override
            public void acl(io.accord.core.image.AclImage acl) {
            }

            @Override
            public void node(io.accord.core.image.NodeImage node) {
                io.accord.core.image.NodeImage expected = image.nodes.get(i++);
                if (!expected.path().equals(node.path()) || expected.mzxid() != node.mzxid()
                        || !java.util.Arrays.equals(expected.data(), node.data())) {
                    throw new AssertionError("node " + i + ": expected " + expected.path() + " but was " + node.path());
                }
                count[0]++;
            }

            @Override
            public void session(io.accord.core.image.SessionImage session) {
            }
        });
        writer.join(60_000);
        assertEquals(200_000, count[0]);
        assertEquals(200_000, s.nodes());
    }
}
