package io.accord.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DataTreeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(Node n) {
        List<String> out = new ArrayList<>();
        ChildList kids = n.children();
        for (int i = 0; kids != null && i < kids.size(); i++) {
            out.add(kids.get(i).name());
        }
        return out;
    }

    @Test
    void childrenStaySortedUnderRandomInsertsAndRemoves() {
        DataTree t = new DataTree();
        Node root = t.root();
        TreeSet<String> model = new TreeSet<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String name = "n" + rnd.nextInt(500);
            Node existing = t.child(root, b(name));
            if (existing == null) {
                t.insert(root, b(name), null, name.length() + 1);
                model.add(name);
            } else {
                t.remove(existing, name.length() + 1, i);
                model.remove(name);
            }
            if (i % 1000 == 0) {
                assertEquals(new ArrayList<>(model), names(root));
            }
        }
        assertEquals(new ArrayList<>(model), names(root));
        assertEquals(model.size() + 1, t.nodeCount());
    }

    @Test
    void queueOfSequentialNodesAppendsAtTheEndAndRemovesAtTheFront() {
        DataTree t = new DataTree();
        Node q = t.insert(t.root(), b("q"), null, 2);
        int head = 0;
        for (int i = 0; i < 100_000; i++) {
            t.insert(q, b(String.format("s%010d", i)), b("v"), 13);
            if (i % 3 != 0) {
                Node first = q.children().get(0);
                assertEquals(String.format("s%010d", head++), first.name());
                t.remove(first, 13, i);
            }
        }
        assertEquals(100_000 - head, q.numChildren());
        assertEquals(String.format("s%010d", head), q.children().get(0).name());
        assertEquals(String.format("s%010d", 99_999), q.children().get(q.numChildren() - 1).name());
    }

    @Test
    void setDataReportsHowTheDataGrewAndKeepsTheSizeCounterRight() {
        DataTree t = new DataTree();
        Node a = t.insert(t.root(), b("a"), b("12345"), 2);
        long size = t.approximateDataSize();
        assertEquals(3, t.setData(a, b("12345678"), 1, 10, 100));
        assertEquals(size + 3, t.approximateDataSize());
        assertEquals(-8, t.setData(a, null, 2, 11, 101));
        assertTrue(a.hasNullData());
        assertEquals(size - 5, t.approximateDataSize());
        assertEquals(2, t.setData(a, b("xy"), 3, 12, 102));
        t.setData(a, b(""));
        assertEquals(size - 5, t.approximateDataSize());
        assertEquals(0, a.dataLength());
        Stat stat = a.stat();
        assertEquals(3, stat.version());
        assertEquals(12, stat.mzxid());
        assertEquals(102, stat.mtime());
        // the whole tree's figure is what it would be if every node were inserted with its current data
        DataTree fresh = new DataTree();
        fresh.insert(fresh.root(), b("a"), b(""), 2);
        assertEquals(fresh.approximateDataSize(), t.approximateDataSize());
    }

    @Test
    void findWalksComponentsAndRejectsMalformedPaths() {
        DataTree t = new DataTree();
        Node a = t.insert(t.root(), b("a"), b("x"), 2);
        Node ab = t.insert(a, b("b"), null, 4);
        assertSame(ab, t.find("/a/b"));
        assertSame(t.root(), t.find("/"));
        assertSame(t.root(), t.find(""));
        assertNull(t.find("/a/"));
        assertNull(t.find("/a//b"));
        assertNull(t.find("a/b"));
        assertNull(t.find("/a/b/c"));
        assertNull(t.find(null));
        assertEquals("/a/b", DataTree.pathOf(ab));
        assertEquals(2, DataTree.descendants(t.root()));
        assertTrue(ab.hasNullData());
        assertEquals(1, a.dataLength());
    }

    /**
     * An ASCII path is matched against the stored names without being encoded; siblings with non-ASCII names (bytes
     * at and above 0x80) sort among them, and both kinds of lookup must agree on every name, present or not.
     */
    @Test
    void asciiAndNonAsciiLookupsAgreeAmongMixedSiblings() {
        Random rnd = new Random(11);
        char[] alphabet = {'a', 'b', 'z', '0', '-', '~', '\u007f', 'é', 'ß', '中', '\u0080', 'A'};
        DataTree t = new DataTree();
        Node parent = t.insert(t.root(), b("p"), null, 2);
        TreeSet<String> stored = new TreeSet<>();
        for (int i = 0; i < 400; i++) {
            String name = randomName(rnd, alphabet);
            if (stored.add(name)) {
                t.insert(parent, b(name), null, name.length() + 3);
            }
        }
        for (String name : stored) {
            Node n = t.find("/p/" + name);
            assertEquals(name, n == null ? null : n.name(), "stored name " + name);
        }
        for (int i = 0; i < 2000; i++) {
            String probe = randomName(rnd, alphabet);
            Node n = t.find("/p/" + probe);
            if (stored.contains(probe)) {
                assertEquals(probe, n.name());
            } else {
                assertNull(n, "absent name " + probe);
            }
        }
    }

    private static String randomName(Random rnd, char[] alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            sb.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    @Test
    void pathRulesMatchZooKeeper() {
        // PROTOCOL.md 4.8
        for (String ok : List.of("/", "/a", "/a/b", "/a.b", "/..a", "/a/...", "/\u00e9", "/sp/0000000000")) {
            assertTrue(PathRules.isValid(ok), ok);
        }
        for (String bad : List.of("", "a", "/a/", "//", "/a//b", "/.", "/..", "/a/./b", "/a/../b", "/a\u0000",
                "/a\u0001", "/\u007f", "/\u009f", "/\ud800", "/\uf8ff", "/\ufff0", "/\uffff")) {
            assertTrue(!PathRules.isValid(bad), bad);
        }
    }
}
