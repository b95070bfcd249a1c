package io.accord.core.codec;

import static io.accord.core.codec.Deep.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.image.NodeImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    @Test
    void nodeKeysSeparateParentAndNameWithNul() {
        assertArrayEquals(new byte[] {0}, ImageCodec.nodeKey("/"));
        assertArrayEquals("/\0a".getBytes(StandardCharsets.UTF_8), ImageCodec.nodeKey("/a"));
        assertArrayEquals("/a/b\0c".getBytes(StandardCharsets.UTF_8), ImageCodec.nodeKey("/a/b/c"));
        for (String p : List.of("/", "/a", "/a/b/c", "/ñ/漢字/\ud83d\ude00", "/zookeeper/config")) {
            byte[] k = ImageCodec.nodeKey(p);
            assertEquals(p, ImageCodec.pathOfKey(k, 0, k.length));
            byte[] shifted = new byte[k.length + 3];
            System.arraycopy(k, 0, shifted, 2, k.length);
            assertEquals(p, ImageCodec.pathOfKey(shifted, 2, k.length));
        }
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.nodeKey("/a\0b"));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.nodeKey("a/b"));
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.nodeKey("/a/"));
    }

    @Test
    void sortedKeysPutEveryParentBeforeItsDescendantsAndKeepChildrenContiguous() {
        List<String> paths = List.of("/", "/a", "/a-b", "/a/b", "/a/b/c", "/a.b", "/a/ b", "/a/!", "/ab", "/a/b-c/d",
                "/a/b-c", "/b", "/\u00e9", "/a/\u00e9/x", "/a/\u00e9");
        List<byte[]> keys = new ArrayList<>();
        paths.forEach(p -> keys.add(ImageCodec.nodeKey(p)));
        keys.sort(Arrays::compareUnsigned);
        List<String> order = new ArrayList<>();
        keys.forEach(k -> order.add(ImageCodec.pathOfKey(k, 0, k.length)));
        for (int i = 0; i < order.size(); i++) {
            String p = order.get(i);
            if (!p.equals("/")) {
                String parent = p.substring(0, Math.max(1, p.lastIndexOf('/')));
                assertTrue(order.indexOf(parent) < i, parent + " must precede " + p + " in " + order);
            }
        }
        // the children of /a are exactly the keys with prefix "/a" 0x00, in one run
        byte[] prefix = "/a\0".getBytes(StandardCharsets.UTF_8);
        List<String> children = new ArrayList<>();
        for (byte[] k : keys) {
            if (k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                children.add(ImageCodec.pathOfKey(k, 0, k.length));
            }
        }
        assertEquals(List.of("/a/ b", "/a/!", "/a/b", "/a/b-c", "/a/\u00e9"), children);
    }

    @Test
    void numericKeysSortLikeTheirValues() {
        long[] ids = {Long.MIN_VALUE, -5, -1, 0, 1, 0x1234L << 40, Long.MAX_VALUE};
        for (int i = 0; i + 1 < ids.length; i++) {
            assertTrue(Arrays.compareUnsigned(ImageCodec.sessionKey(ids[i]), ImageCodec.sessionKey(ids[i + 1])) < 0);
            byte[] k = ImageCodec.sessionKey(ids[i]);
            assertEquals(ids[i], ImageCodec.sessionIdOfKey(k, 0, 8));
        }
        int[] acl = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        for (int i = 0; i + 1 < acl.length; i++) {
            assertTrue(Arrays.compareUnsigned(ImageCodec.aclKey(acl[i]), ImageCodec.aclKey(acl[i + 1])) < 0);
            assertEquals(acl[i], ImageCodec.aclIdOfKey(ImageCodec.aclKey(acl[i]), 0, 4));
        }
    }

    @Test
    void nodeValuesRoundTripAndRejectBadLengths() {
        RandomImage image = new RandomImage(77, 500);
        for (NodeImage n : image.nodes) {
            byte[] v = ImageCodec.nodeValue(n);
            assertEquals(ImageCodec.NODE_FIXED_LENGTH + (n.data() == null ? 0 : n.data().length), v.length);
            assertDeepEquals(n, ImageCodec.decodeNode(n.path(), v, 0, v.length));
        }
        byte[] v = ImageCodec.nodeValue(image.nodes.get(0));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> ImageCodec.decodeNode("/", v, 0, 10));
        assertEquals("node /: value length: 10 (expected: >= 68)", e.getMessage());
    }

    @Test
    void aclSessionAndMetaValuesRoundTrip() {
        RandomImage image = new RandomImage(78, 1);
        image.acls.forEach(a -> {
            byte[] v = ImageCodec.aclValue(a.acl());
            assertDeepEquals(a.acl(), ImageCodec.decodeAcl(v, 0, v.length, "acl"));
        });
        image.sessions.forEach(s -> {
            byte[] v = ImageCodec.sessionValue(s);
            assertDeepEquals(s, ImageCodec.decodeSession(s.sessionId(), v, 0, v.length));
        });
        byte[] m = ImageCodec.metaValue(image.meta);
        assertDeepEquals(image.meta, ImageCodec.decodeMeta(m, 0, m.length));
        assertThrows(CorruptDataException.class, () -> ImageCodec.decodeMeta(m, 0, m.length - 1));
    }
}
