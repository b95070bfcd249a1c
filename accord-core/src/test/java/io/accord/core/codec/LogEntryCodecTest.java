package io.accord.core.codec;

import static io.accord.core.codec.Deep.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class LogEntryCodecTest {
    private static final List<Id> AUTH = List.of(Id.ANYONE, new Id("digest", "bob:Xq1=="), new Id("super", ""));

    private static Request req(Op op) {
        return new Request(3, 77, 0x1234_5678_9abcL, AUTH, op);
    }

    private static LogEntry entryOf(Op... ops) {
        List<Request> requests = new ArrayList<>();
        for (Op op : ops) {
            requests.add(req(op));
        }
        return new LogEntry(3, 42, requests);
    }

    private static LogEntry roundTrip(LogEntry entry) {
        byte[] frame = LogEntryCodec.encode(entry);
        assertEquals(frame.length, LogEntryCodec.encodedLength(entry));
        LogEntry decoded = LogEntryCodec.decode(frame, 0, frame.length);
        assertDeepEquals(entry, decoded);
        return decoded;
    }

    @Test
    void everyOpRoundTrips() {
        List<Acl> acl = List.of(new Acl(31, Id.ANYONE), new Acl(1, new Id("ip", "10.0.0.1")));
        LogEntry entry = entryOf(
                new Op.Create(1, "/a", new byte[] {1, 2, 3}, acl, 0, -1),
                new Op.Create(15, "/b", null, acl, 2, -1),
                new Op.Create(19, "/c", new byte[0], Acl.OPEN_ACL_UNSAFE, 4, -1),
                new Op.Create(21, "/d", new byte[] {9}, acl, 5, 60_000),
                new Op.Delete("/a", -1),
                new Op.SetData("/b", new byte[] {7, 7}, 4),
                new Op.SetAcl("/c", Acl.READ_ACL_UNSAFE, 2),
                new Op.Check("/d", 0),
                new Op.DeleteContainer("/c"),
                new Op.Multi(List.of(new Op.Check("/x", 1), new Op.SetData("/x", new byte[] {1}, 1),
                        new Op.Create(1, "/x/y", null, acl, 0, -1), new Op.Delete("/x/z", 3))),
                new Op.Multi(List.of()),
                new Op.Sync("/"),
                new Op.CreateSession(30_000, new byte[16]),
                new Op.ReattachSession(10_000, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
                new Op.CloseSession(),
                new Op.Touch(new long[] {1, Long.MIN_VALUE, Long.MAX_VALUE}),
                new Op.Tick(),
                new Op.ResetDeadlines());
        LogEntry decoded = roundTrip(entry);
        assertEquals(18, decoded.requests().size());
    }

    @Test
    void requestsWithEqualIdsShareOneDecodedListAndOthersDecodeExactly() {
        List<Id> ip = List.of(new Id("ip", "127.0.0.1"));
        List<Id> ipAndDigest = List.of(new Id("ip", "127.0.0.1"), new Id("digest", "bob:Xq1=="));
        List<Id> otherIp = List.of(new Id("ip", "127.0.0.2"));
        List<List<Id>> ids = java.util.Arrays.asList(ip, ip, ipAndDigest, ip, List.of(), otherIp, null, otherIp, ip);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            requests.add(new Request(1, i, 7, ids.get(i), new Op.Check("/n" + i, i)));
        }
        LogEntry decoded = roundTrip(new LogEntry(1, 9, requests));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(i), decoded.requests().get(i).authIds(), "request " + i);
        }
        assertTrue(decoded.requests().get(0).authIds() == decoded.requests().get(1).authIds(),
                "consecutive equal id lists are decoded once");
        assertNull(decoded.requests().get(6).authIds(), "a null list is not mistaken for the previous one");
        assertEquals(ip, decoded.requests().get(8).authIds(), "after other lists, the first one decodes again");
    }

    @Test
    void nullAndEmptyStayDistinct() {
        LogEntry entry = new LogEntry(0, 0, List.of(
                new Request(0, 0, 0, null, new Op.Create(1, null, null, null, 0, -1)),
                new Request(0, 0, 0, List.of(), new Op.Create(1, "", new byte[0], List.of(), 0, -1)),
                new Request(0, 0, 0, null, new Op.Touch(null)),
                new Request(0, 0, 0, null, new Op.Touch(new long[0])),
                new Request(0, 0, 0, null, new Op.Multi(null)),
                new Request(0, 0, 0, null, new Op.CreateSession(0, null)),
                new Request(0, 0, 0, null, new Op.SetData("/x", new byte[0], 0))));
        LogEntry d = roundTrip(entry);
        Op.Create c0 = (Op.Create) d.requests().get(0).op();
        Op.Create c1 = (Op.Create) d.requests().get(1).op();
        assertNull(c0.path());
        assertNull(c0.data());
        assertNull(c0.acl());
        assertNull(d.requests().get(0).authIds());
        assertEquals("", c1.path());
        assertEquals(0, c1.data().length);
        assertTrue(c1.acl().isEmpty());
        assertNull(((Op.Touch) d.requests().get(2).op()).sessionIds());
        assertEquals(0, ((Op.Touch) d.requests().get(3).op()).sessionIds().length);
        assertNull(((Op.Multi) d.requests().get(4).op()).ops());
        roundTrip(new LogEntry(0, 0, null));
        roundTrip(new LogEntry(0, 0, List.of()));
    }

    @Test
    void nestedMultisRoundTripUpToTheDepthLimit() {
        Op op = new Op.Check("/leaf", 1);
        for (int i = 0; i < LogEntryCodec.MAX_MULTI_DEPTH; i++) {
            op = new Op.Multi(List.of(new Op.SetData("/d" + i, new byte[] {(byte) i}, i), op));
        }
        roundTrip(entryOf(op));
        Op tooDeep = new Op.Multi(List.of(op));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogEntryCodec.encode(entryOf(tooDeep)));
        assertTrue(e.getMessage().contains("multi depth: 9 (expected: <= 8)"), e.getMessage());
    }

    @Test
    void unicodePathsEncodeExactlyAsStringGetBytes() {
        String[] paths = {"/ñandú", "/\u6f22\u5b57", "/emoji\ud83d\ude00x", "/lone\ud800high", "/lone\udc00low", "/end\ud83d"};
        for (String p : paths) {
            LogEntry e = entryOf(new Op.Sync(p));
            byte[] frame = LogEntryCodec.encode(e);
            Op.Sync s = (Op.Sync) LogEntryCodec.decode(frame, 0, frame.length).requests().get(0).op();
            assertEquals(new String(p.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), s.path(), p);
        }
    }

    @Test
    void seededRandomEntriesRoundTripThroughHeapAndDirectBuffersAtAnOffset() {
        RandomEntries gen = new RandomEntries(20261121L);
        ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20);
        byte[] heap = new byte[1 << 20];
        for (int i = 0; i < 2000; i++) {
            LogEntry entry = gen.entry();
            int expectedLength = LogEntryCodec.encodedLength(entry);
            int offset = i % 13;
            assertEquals(expectedLength, LogEntryCodec.encode(entry, heap, offset));
            assertDeepEquals(entry, LogEntryCodec.decode(heap, offset, expectedLength));
            int position = direct.position();
            assertEquals(expectedLength, LogEntryCodec.encode(entry, direct, offset));
            assertEquals(position, direct.position(), "encode must not move the position");
            assertDeepEquals(entry, LogEntryCodec.decode(direct, offset, expectedLength));
            byte[] fromDirect = new byte[expectedLength];
            direct.get(offset, fromDirect);
            byte[] fromHeap = new byte[expectedLength];
            System.arraycopy(heap, offset, fromHeap, 0, expectedLength);
            assertArrayEquals(fromHeap, fromDirect);
        }
    }

    @Test
    void tooSmallBufferIsReportedNotOverrun() {
        LogEntry entry = entryOf(new Op.SetData("/x", new byte[100], 1));
        int length = LogEntryCodec.encodedLength(entry);
        ByteBuffer small = ByteBuffer.allocate(length - 1);
        assertThrows(IndexOutOfBoundsException.class, () -> LogEntryCodec.encode(entry, small, 0));
        ByteBuffer exact = ByteBuffer.allocate(length + 5);
        exact.limit(length + 4);
        assertThrows(IndexOutOfBoundsException.class, () -> LogEntryCodec.encode(entry, exact, 5));
        assertEquals(length, LogEntryCodec.encode(entry, exact, 4));
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] frame = LogEntryCodec.encode(entryOf(
                new Op.Create(1, "/a/b", new byte[] {1, 2}, Acl.OPEN_ACL_UNSAFE, 0, -1),
                new Op.Multi(List.of(new Op.Check("/a", 0)))));
        for (int len = 0; len < frame.length; len++) {
            int n = len;
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, n));
            assertTrue(e.getMessage().startsWith("log entry: "), e.getMessage());
        }
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, 20));
        assertEquals("log entry: entry length: 20 (expected: >= 28)", e.getMessage());
        e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, frame.length - 1));
        assertEquals("log entry: body length: " + (frame.length - 12) + " (expected: " + (frame.length - 13)
                + " for an entry of " + (frame.length - 1) + " bytes)", e.getMessage());
    }

    @Test
    void everySingleBitFlipIsRejected() {
        byte[] frame = LogEntryCodec.encode(entryOf(new Op.SetData("/flip", new byte[] {1, 2, 3}, 7), new Op.Tick()));
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] copy = frame.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(copy, 0, copy.length), "bit " + bit);
        }
    }

    @Test
    void crcMismatchNamesBothValues() {
        byte[] frame = LogEntryCodec.encode(entryOf(new Op.Sync("/")));
        frame[frame.length - 1] ^= 1;
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, frame.length));
        assertTrue(e.getMessage().matches("log entry: crc mismatch: stored 0x[0-9a-f]+, computed 0x[0-9a-f]+ over \\d+ bytes"),
                e.getMessage());
    }

    @Test
    void unknownTemplateAndVersionAreRejectedWithTheirValues() {
        byte[] frame = LogEntryCodec.encode(entryOf(new Op.Tick()));
        byte[] t = frame.clone();
        t[LogEntryCodec.TEMPLATE_ID_OFFSET] = 9;
        reseal(t);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(t, 0, t.length));
        assertEquals("log entry: unknown template id: 9 (expected: 1)", e.getMessage());
        byte[] v = frame.clone();
        v[LogEntryCodec.VERSION_OFFSET] = 3;
        reseal(v);
        e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(v, 0, v.length));
        assertTrue(e.getMessage().startsWith("log entry: unsupported schema version: 3 (expected: 1 or 2"),
                e.getMessage());
    }

    /** A frame in the old version, encoded into a large buffer and cut to its length. */
    private static byte[] encodeV1(LogEntry entry) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        int length = LogEntryCodec.encode(entry, b, 0, LogEntryCodec.SCHEMA_VERSION_1);
        byte[] frame = new byte[length];
        b.get(0, frame);
        return frame;
    }

    @Test
    void logsWrittenInVersion1StillDecode() {
        RandomEntries gen = new RandomEntries(20261122L);
        for (int i = 0; i < 2000; i++) {
            LogEntry entry = gen.entry();
            byte[] v1 = encodeV1(entry);
            assertEquals(LogEntryCodec.SCHEMA_VERSION_1, v1[LogEntryCodec.VERSION_OFFSET]);
            assertDeepEquals(entry, LogEntryCodec.decode(v1, 0, v1.length));
        }
        // a version 1 frame pinned byte for byte: origin 3, sequence 42, one check of "/a" (version 5) by request
        // 7 of session 0x10 from origin 3 with the id ip:1.2.3.4
        LogEntry entry = new LogEntry(3, 42, List.of(
                new Request(3, 7, 0x10, List.of(new Id("ip", "1.2.3.4")), new Op.Check("/a", 5))));
        byte[] v1 = encodeV1(entry);
        assertEquals("03000000" + "2a00000000000000" + "01000000"
                        + "03000000" + "0700000000000000" + "1000000000000000"
                        + "01000000" + "02000000" + "6970" + "07000000" + "312e322e332e34"
                        + "05" + "02000000" + "2f61" + "05000000",
                hex(v1, LogEntryCodec.HEADER_LENGTH));
        assertDeepEquals(entry, LogEntryCodec.decode(v1, 0, v1.length));
    }

    @Test
    void version2OmitsWhatABatchRepeatsAndWritesRequestIdsAsDifferences() {
        List<Id> ip = List.of(new Id("ip", "1.2.3.4"));
        LogEntry entry = new LogEntry(3, 42, List.of(
                new Request(3, 300, 0x10, ip, new Op.Check("/a", 5)),
                new Request(3, 301, 0x10, List.of(new Id("ip", "1.2.3.4")), new Op.Check("/a", 5)),
                new Request(9, 1, 0x11, null, new Op.Check("/a", 5)),
                new Request(9, 2, 0x11, null, new Op.Check("/a", 5))));
        byte[] frame = LogEntryCodec.encode(entry);
        String check = "05" + "02000000" + "2f61" + "05000000";
        assertEquals("03000000" + "2a00000000000000" + "04000000"
                        // same origin; request id 300 - 0 (zigzag 600); session; the ids
                        + "01" + "d804" + "1000000000000000" + "01000000" + "02000000" + "6970" + "07000000"
                        + "312e322e332e34" + check
                        // same origin, equal (not identical) ids, same session; id + 1 (zigzag 2)
                        + "07" + "02" + check
                        // another origin, written; id - 300 (zigzag 599); another session; a null list
                        + "00" + "09000000" + "d704" + "1100000000000000" + "ffffffff" + check
                        // the same null list and session again
                        + "06" + "09000000" + "02" + check,
                hex(frame, LogEntryCodec.HEADER_LENGTH));
        LogEntry decoded = roundTrip(entry);
        assertTrue(decoded.requests().get(0).authIds() == decoded.requests().get(1).authIds());
        assertNull(decoded.requests().get(3).authIds());

        // the bench's setData (8 bytes on a 16-character path, from 127.0.0.1) in a batch as a member submits it:
        // request ids counted up from the member's seed (start time in ms << 20), sessions in runs of ten
        List<Id> localhost = List.of(new Id("ip", "127.0.0.1"));
        long seed = 1_795_000_000_000L << 20;
        List<Request> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(new Request(1, seed + i, 0x0100_0000_0000_0001L + i / 10, localhost,
                    new Op.SetData("/accord-bench/s0", new byte[8], -1)));
        }
        int empty = LogEntryCodec.encodedLength(new LogEntry(1, 1, List.of()));
        int ids = 4 + 4 + 2 + 4 + 9;
        int op = 37;
        // the first request: flags, its id in 9 bytes, session, ids, op; then flags, a 1-byte id difference, the
        // session when it changes (9 times), op
        assertEquals((1 + 9 + 8 + ids + op) + 99 * (1 + 1 + op) + 9 * 8,
                LogEntryCodec.encodedLength(new LogEntry(1, 1, batch)) - empty);
        // version 1: origin, request id, session, ids and the op every time
        assertEquals(100 * (4 + 8 + 8 + ids + op), encodeV1(new LogEntry(1, 1, batch)).length - empty);
    }

    @Test
    void badVersion2FlagsAreRejected() {
        byte[] frame = LogEntryCodec.encode(new LogEntry(3, 42, List.of(
                new Request(3, 1, 0x10, null, new Op.Tick()), new Request(3, 2, 0x10, null, new Op.Tick()))));
        int firstFlags = LogEntryCodec.HEADER_LENGTH + 16;
        assertEquals(1, frame[firstFlags]);
        byte[] unknown = frame.clone();
        unknown[firstFlags] = 9;
        reseal(unknown);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> LogEntryCodec.decode(unknown, 0, unknown.length));
        assertEquals("log entry: request.flags: 0x9 (expected: bits 0 to 2 only)", e.getMessage());
        for (int flags : new int[] {3, 5}) { // the same ids, or the same session, as no request before
            byte[] noPrevious = frame.clone();
            noPrevious[firstFlags] = (byte) flags;
            reseal(noPrevious);
            e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(noPrevious, 0, noPrevious.length));
            assertEquals("log entry: request.flags: the first request refers to a previous request", e.getMessage());
        }
    }

    @Test
    void requestIdsRoundTripWhateverTheirDifferencesAndOverlongVarintsAreRejected() {
        long[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 56, Long.MAX_VALUE, -1,
                Long.MIN_VALUE, Long.MAX_VALUE, 5, Long.MIN_VALUE, -7};
        List<Request> requests = new ArrayList<>();
        for (long v : values) {
            requests.add(new Request(1, v, 2, null, new Op.Tick()));
        }
        LogEntry decoded = roundTrip(new LogEntry(1, 1, requests)); // differences that wrap around included
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], decoded.requests().get(i).requestId());
        }
        // Long.MIN_VALUE - 0, zigzagged, is all ones: ten bytes, the last holding one bit
        byte[] frame = LogEntryCodec.encode(
                new LogEntry(1, 1, List.of(new Request(1, Long.MIN_VALUE, 2, null, new Op.Tick()))));
        int idAt = LogEntryCodec.HEADER_LENGTH + 16 + 1;
        assertEquals((byte) 0x01, frame[idAt + 9]);
        byte[] overlong = frame.clone();
        overlong[idAt + 9] = 0x02;
        reseal(overlong);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> LogEntryCodec.decode(overlong, 0, overlong.length));
        assertEquals("log entry: request.requestId: varint longer than 64 bits", e.getMessage());
    }

    private static String hex(byte[] frame, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < frame.length; i++) {
            sb.append(String.format("%02x", frame[i] & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void unknownOpTypeIsRejectedEvenWithAValidCrc() {
        byte[] frame = LogEntryCodec.encode(entryOf(new Op.Tick()));
        frame[frame.length - 1] = 42; // the op type byte of the only request
        reseal(frame);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, frame.length));
        assertEquals("log entry: unknown op type: 42", e.getMessage());
    }

    @Test
    void hostileCountsAreRejectedBeforeAllocating() {
        // origin, sequence, then a request count of Integer.MAX_VALUE with a valid crc
        ByteBuffer b = ByteBuffer.allocate(12 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 16).putShort(4, (short) 1).putShort(6, (short) 1);
        b.putInt(12, 1).putLong(16, 2).putInt(24, Integer.MAX_VALUE);
        byte[] frame = b.array();
        reseal(frame);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(frame, 0, frame.length));
        assertEquals("log entry: requests length: 2147483647 (expected: <= 0, the bytes left)", e.getMessage());

        // a data length far beyond the frame inside a setData
        byte[] ok = LogEntryCodec.encode(entryOf(new Op.SetData("/x", new byte[] {1}, 0)));
        int dataLengthAt = ok.length - 4 - 1 - 4; // version, data, data length
        ByteBuffer.wrap(ok).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(dataLengthAt, 1 << 30);
        reseal(ok);
        e = assertThrows(CorruptDataException.class, () -> LogEntryCodec.decode(ok, 0, ok.length));
        assertEquals("log entry: setData.data length: 1073741824 (expected: <= 5, the bytes left)", e.getMessage());

        byte[] big = new byte[100];
        e = assertThrows(CorruptDataException.class,
                () -> LogEntryCodec.decode(ByteBuffer.wrap(big), 0, 100, 64));
        assertEquals("log entry: entry length: 100 (expected: <= 64)", e.getMessage());
    }

    @Test
    void seededGarbageBodiesWithValidCrcsFailOnlyWithTheCodecException() {
        Random rnd = new Random(7);
        RandomEntries gen = new RandomEntries(11);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            // both versions: old logs are still decoded when a member replays them
            byte[] frame = i % 2 == 0 ? LogEntryCodec.encode(gen.entry()) : encodeV1(gen.entry());
            // corrupt a few bytes of the body, then make the crc valid so the body decoder has to cope
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips && frame.length > 12; f++) {
                frame[12 + rnd.nextInt(frame.length - 12)] = (byte) rnd.nextInt();
            }
            reseal(frame);
            try {
                LogEntryCodec.decode(frame, 0, frame.length);
                decoded++;
            } catch (CorruptDataException expected) {
                assertTrue(expected.getMessage().startsWith("log entry: "));
            } catch (RuntimeException | Error other) {
                fail("frame " + i + " failed with " + other, other);
            }
        }
        assertTrue(decoded < 20_000, "some corruption must be detected structurally");
    }

    @Test
    void nullOpAndNullListElementsAreRejectedAtEncode() {
        assertThrows(IllegalArgumentException.class, () -> LogEntryCodec.encode(entryOf((Op) null)));
        List<Acl> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class,
                () -> LogEntryCodec.encode(entryOf(new Op.SetAcl("/x", withNull, 0))));
    }

    @Test
    void encodingAllocatesNothingPerField() {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requests.add(new Request(1, i, 99, AUTH, new Op.Multi(List.of(
                    new Op.Check("/svc/élève/" + i, i),
                    new Op.SetData("/svc/node-" + i, new byte[8], -1),
                    new Op.Create(1, "/svc/node-" + i + "/child", new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1)))));
        }
        LogEntry entry = new LogEntry(1, 1, requests);
        ByteBuffer direct = ByteBuffer.allocateDirect(LogEntryCodec.encodedLength(entry));
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm up so escape analysis has run
            LogEntryCodec.encode(entry, direct, 0);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        int rounds = 1000;
        for (int i = 0; i < rounds; i++) {
            LogEntryCodec.encode(entry, direct, 0);
        }
        long perEncode = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / rounds;
        // ~3000 fields per entry: anything per field would be tens of kilobytes; a few small objects per call are fine
        assertTrue(perEncode < 512, "bytes allocated per encode: " + perEncode);
        assertDeepEquals(entry, LogEntryCodec.decode(direct, 0, direct.capacity()));
    }

    /** Recomputes the CRC of a frame whose bytes a test changed on purpose. */
    static void reseal(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, LogEntryCodec.CRC_OFFSET);
        crc.update(frame, LogEntryCodec.HEADER_LENGTH, frame.length - LogEntryCodec.HEADER_LENGTH);
        ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(LogEntryCodec.CRC_OFFSET, (int) crc.getValue());
    }
}
