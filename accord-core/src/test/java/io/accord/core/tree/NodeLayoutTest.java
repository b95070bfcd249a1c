package io.accord.core.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact layout of {@link Node}: every stored value comes back exactly, whatever its size or sign. */
class NodeLayoutTest {
    private static final long[] LONGS = {0, 1, 127, 128, 16_383, 16_384, 1_700_000_000_000L, Integer.MAX_VALUE,
        -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFF00_0000_0000_0001L, 0x0123_4567_89AB_CDEFL};
    private static final int[] INTS = {0, 1, 63, 64, -1, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE};

    private static void assertStored(Node n, long czxid, long mzxid, long pzxid, long ctime, long mtime, int version,
            int counter, int aversion, long owner, int aclId) {
        assertEquals(czxid, n.czxid());
        assertEquals(mzxid, n.mzxid());
        assertEquals(pzxid, n.pzxid());
        assertEquals(ctime, n.ctime());
        assertEquals(mtime, n.mtime());
        assertEquals(version, n.version());
        assertEquals(counter, n.childCounter());
        assertEquals(aversion, n.aversion());
        assertEquals(owner, n.ephemeralOwner());
        assertEquals(aclId, n.aclId());
        Stat s = n.stat();
        assertEquals(czxid, s.czxid());
        assertEquals(mzxid, s.mzxid());
        assertEquals(pzxid, s.pzxid());
        assertEquals(ctime, s.ctime());
        assertEquals(mtime, s.mtime());
        assertEquals(version, s.version());
        assertEquals(2 * counter - n.numChildren(), s.cversion());
        assertEquals(aversion, s.aversion());
        assertEquals(EphemeralType.visibleOwner(owner), s.ephemeralOwner());
        assertEquals(n.dataLength(), s.dataLength());
    }

    @Test
    void everyFieldRoundTripsAtTheEdgesOfItsRangeAndThroughSetData() {
        Random rnd = new Random(5);
        DataTree tree = new DataTree();
        for (int i = 0; i < 3000; i++) {
            long czxid = LONGS[rnd.nextInt(LONGS.length)];
            long mzxid = rnd.nextBoolean() ? czxid : LONGS[rnd.nextInt(LONGS.length)];
            long pzxid = rnd.nextBoolean() ? czxid : LONGS[rnd.nextInt(LONGS.length)];
            long ctime = LONGS[rnd.nextInt(LONGS.length)];
            long mtime = rnd.nextBoolean() ? ctime : LONGS[rnd.nextInt(LONGS.length)];
            int version = INTS[rnd.nextInt(INTS.length)];
            int counter = rnd.nextBoolean() ? 0 : INTS[rnd.nextInt(INTS.length)];
            int aversion = INTS[rnd.nextInt(INTS.length)];
            long owner = LONGS[rnd.nextInt(LONGS.length)];
            byte[] name = ("n" + i).getBytes(StandardCharsets.UTF_8);
            byte[] data = rnd.nextInt(4) == 0 ? null : new byte[rnd.nextInt(300)];
            if (data != null) {
                rnd.nextBytes(data);
            }
            Node n = tree.insert(tree.root(), name, data, name.length + 1);
            tree.init(n, czxid, mzxid, pzxid, ctime, mtime, version, counter, aversion, owner, i);
            assertStored(n, czxid, mzxid, pzxid, ctime, mtime, version, counter, aversion, owner, i);
            assertEquals("n" + i, n.name());
            if (data == null) {
                assertNull(n.data());
                assertTrue(n.hasNullData());
                assertEquals(0, n.dataLength());
            } else {
                assertArrayEquals(data, n.data());
                assertEquals(data.length, n.dataLength());
            }

            // setData rewrites mzxid, mtime and version around the stored bytes of the other fields
            long zxid = LONGS[rnd.nextInt(LONGS.length)];
            long time = LONGS[rnd.nextInt(LONGS.length)];
            int newVersion = INTS[rnd.nextInt(INTS.length)];
            byte[] newData = rnd.nextInt(4) == 0 ? null : new byte[rnd.nextInt(300)];
            if (newData != null) {
                rnd.nextBytes(newData);
            }
            int grown = tree.setData(n, newData, newVersion, zxid, time);
            assertEquals((newData == null ? 0 : newData.length) - (data == null ? 0 : data.length), grown);
            assertStored(n, czxid, zxid, pzxid, ctime, time, newVersion, counter, aversion, owner, i);
            assertEquals("n" + i, n.name());
            assertArrayEquals(newData, n.data());
            assertEquals(newData == null, n.hasNullData());
        }
    }

    @Test
    void changesKeepTheOtherFieldsAndNeverWriteIntoTheOldArray() {
        DataTree tree = new DataTree();
        byte[] name = "x".repeat(300).getBytes(StandardCharsets.UTF_8); // a name length of two varint bytes
        Node n = tree.insert(tree.root(), name, new byte[] {1, 2}, 301);
        tree.init(n, 1_000, 1_000, 1_000, 1_700_000_000_000L, 1_700_000_000_000L, 0, 0, 0, 0x0123_4567_89ABL, 3);
        byte[] before = DataTree.storedBytes(n);
        byte[] copy = before.clone();

        tree.setData(n, new byte[0], 1, 2_000, 1_700_000_000_500L);
        assertArrayEquals(copy, before, "an array once stored is never written");
        assertNotSame(before, DataTree.storedBytes(n));
        assertStored(n, 1_000, 2_000, 1_000, 1_700_000_000_000L, 1_700_000_000_500L, 1, 0, 0, 0x0123_4567_89ABL, 3);
        assertArrayEquals(new byte[0], n.data());
        assertEquals("x".repeat(300), Node.nameOf(before));
        assertArrayEquals(new byte[] {1, 2}, Node.dataOf(before));

        tree.setAcl(n, 9, 4);
        tree.setData(n, null);
        assertStored(n, 1_000, 2_000, 1_000, 1_700_000_000_000L, 1_700_000_000_500L, 1, 0, 4, 0x0123_4567_89ABL, 9);
        assertNull(n.data());

        // the first child creates the list that carries pzxid and the counter; the last one leaves it
        Node child = tree.insert(n, "c".getBytes(StandardCharsets.UTF_8), null, 303);
        tree.created(n, 3_000);
        assertStored(n, 1_000, 2_000, 3_000, 1_700_000_000_000L, 1_700_000_000_500L, 1, 1, 4, 0x0123_4567_89ABL, 9);
        tree.remove(child, 303, 4_000);
        assertEquals(0, n.numChildren());
        assertStored(n, 1_000, 2_000, 4_000, 1_700_000_000_000L, 1_700_000_000_500L, 1, 1, 4, 0x0123_4567_89ABL, 9);
        assertEquals(2, n.stat().cversion());
        assertSame(n, tree.find("/" + "x".repeat(300)));
    }

    @Test
    void lookupsCompareNamesOfEveryLength() {
        DataTree tree = new DataTree();
        String[] names = {"a", "b".repeat(127), "b".repeat(128), "b".repeat(129), "c".repeat(20_000), "é"};
        for (String s : names) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            tree.insert(tree.root(), b, null, b.length + 1);
        }
        for (String s : names) {
            Node n = tree.find("/" + s);
            assertEquals(s, n.name());
            assertEquals("/" + s, DataTree.pathOf(n));
        }
        assertNull(tree.find("/" + "b".repeat(126)));
        assertNull(tree.find("/" + "b".repeat(130)));
    }
}
