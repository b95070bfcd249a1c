package io.accord.core.storage;

import static io.accord.core.codec.Deep.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.core.codec.ImageCodec;
import io.accord.core.codec.RandomImage;
import io.accord.core.image.AclImage;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link CheckpointStore} must meet; each implementation runs all of it. */
abstract class CheckpointStoreContract {
    protected CheckpointStore store;

    /** A fresh, empty store. */
    protected abstract CheckpointStore newStore();

    /** Closes {@link #store} and opens the same store again; for stores that are not persistent, returns it. */
    protected abstract CheckpointStore reopen(CheckpointStore current);

    protected abstract boolean persistent();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static MetaImage meta(long position) {
        return new MetaImage(position, position * 2, 7, 1000 + position, 5, new TreeMap<>(Map.of(1, position)));
    }

    static NodeImage node(String path, int version) {
        return new NodeImage(path, new byte[] {(byte) version, 2, 3}, 1, version, 3, 4, 5, version, 0, 0, 0, 1);
    }

    /** The image a store should hold, kept as simple maps. */
    static final class Model {
        final TreeMap<String, NodeImage> nodes = new TreeMap<>();
        final TreeMap<Integer, AclImage> acls = new TreeMap<>();
        final TreeMap<Long, SessionImage> sessions = new TreeMap<>();
        MetaImage meta;

        void apply(ChangeSet c) {
            c.nodes().forEach((k, v) -> {
                if (v == null) {
                    nodes.remove(k);
                } else {
                    nodes.put(k, v);
                }
            });
            c.acls().forEach((k, v) -> {
                if (v == null) {
                    acls.remove(k);
                } else {
                    acls.put(k, v);
                }
            });
            c.sessions().forEach((k, v) -> {
                if (v == null) {
                    sessions.remove(k);
                } else {
                    sessions.put(k, v);
                }
            });
            if (c.meta() != null) {
                meta = c.meta();
            }
        }
    }

    /** Loads the store and checks the image order, then compares with the model. */
    static void assertHolds(CheckpointStore store, Model model) {
        RandomImage.Collector c = new RandomImage.Collector();
        assertTrue(store.load(c));
        List<Object> records = c.records;
        assertDeepEquals(model.meta, records.get(0));
        List<AclImage> acls = new ArrayList<>();
        List<NodeImage> nodes = new ArrayList<>();
        List<SessionImage> sessions = new ArrayList<>();
        int stage = 0;
        for (Object r : records.subList(1, records.size())) {
            int s = r instanceof AclImage ? 1 : r instanceof NodeImage ? 2 : r instanceof SessionImage ? 3 : 9;
            assertTrue(s >= stage && s < 9, "image order broken at " + r);
            stage = s;
            if (r instanceof AclImage a) {
                acls.add(a);
            } else if (r instanceof NodeImage n) {
                nodes.add(n);
            } else {
                sessions.add((SessionImage) r);
            }
        }
        assertDeepEquals(new ArrayList<>(model.acls.values()), acls);
        assertDeepEquals(new ArrayList<>(model.sessions.values()), sessions);
        // nodes: parents first, and exactly the key order (children of one parent contiguous and sorted)
        Set<String> seen = new HashSet<>();
        for (NodeImage n : nodes) {
            String p = n.path();
            if (!p.equals("/")) {
                String parent = p.substring(0, Math.max(1, p.lastIndexOf('/')));
                assertTrue(seen.contains(parent) || !model.nodes.containsKey(parent), parent + " must precede " + p);
            }
            seen.add(p);
        }
        List<NodeImage> expected = new ArrayList<>(model.nodes.values());
        expected.sort((a, b) -> Arrays.compareUnsigned(ImageCodec.nodeKey(a.path()), ImageCodec.nodeKey(b.path())));
        assertDeepEquals(expected, nodes);
        assertEquals(model.meta.appliedPosition(), store.appliedPosition());
    }

    static ChangeSet imageAsChangeSet(RandomImage image, long seed) {
        ChangeSet c = new ChangeSet();
        image.acls.forEach(c::aclPut);
        List<NodeImage> shuffled = new ArrayList<>(image.nodes);
        Collections.shuffle(shuffled, new Random(seed));
        shuffled.forEach(c::nodePut);
        image.sessions.forEach(c::sessionPut);
        c.meta(image.meta);
        return c;
    }

    @Test
    void anEmptyStoreLoadsNothing() {
        store = newStore();
        assertEquals(CheckpointStore.EMPTY, store.appliedPosition());
        RandomImage.Collector c = new RandomImage.Collector();
        assertFalse(store.load(c));
        assertTrue(c.records.isEmpty());
    }

    @Test
    void aChangeSetLoadsBackAsAnImageWithParentsBeforeChildren() {
        store = newStore();
        RandomImage image = new RandomImage(11, 3000);
        ChangeSet c = imageAsChangeSet(image, 1);
        Model model = new Model();
        model.apply(c);
        store.apply(c);
        assertHolds(store, model);
        assertTrue(store.sizeBytes() > 0);
    }

    @Test
    void laterChangeSetsReplaceAndRemove() {
        store = newStore();
        Model model = new Model();
        ChangeSet a = new ChangeSet();
        a.aclPut(new AclImage(1, Acl.OPEN_ACL_UNSAFE));
        a.aclPut(new AclImage(2, Acl.READ_ACL_UNSAFE));
        for (String p : List.of("/", "/a", "/a/b", "/a/c", "/zookeeper", "/zookeeper/quota")) {
            a.nodePut(node(p, 0));
        }
        a.sessionPut(new SessionImage(5, 3000, new byte[16], 1, 9000));
        a.sessionPut(new SessionImage(-5, 3000, null, 2, 9000));
        a.meta(meta(10));
        model.apply(a);
        store.apply(a);
        assertHolds(store, model);

        ChangeSet b = new ChangeSet();
        b.nodeRemoved("/a/b");
        b.nodePut(node("/a/c", 1));
        b.nodePut(node("/a/d", 0));
        b.nodeRemoved("/never-existed");
        b.aclRemoved(2);
        b.sessionRemoved(5);
        b.sessionPut(new SessionImage(-5, 3000, new byte[0], 3, 12000));
        b.meta(meta(20));
        model.apply(b);
        store.apply(b);
        assertHolds(store, model);
        store = reopen(store);
        assertHolds(store, model);
    }

    @Test
    void aChangeSetCoalescesRepeatedChangesToTheLatest() {
        store = newStore();
        ChangeSet c = new ChangeSet();
        c.nodePut(node("/", 0));
        c.nodePut(node("/x", 1));
        c.nodeRemoved("/x");
        c.nodePut(node("/y", 1));
        c.nodeRemoved("/y");
        c.nodePut(node("/y", 2));
        c.meta(meta(1));
        c.meta(meta(2));
        assertEquals(3, c.size());
        store.apply(c);
        Model model = new Model();
        model.nodes.put("/", node("/", 0));
        model.nodes.put("/y", node("/y", 2));
        model.meta = meta(2);
        assertHolds(store, model);
    }

    @Test
    void aFullImageReplacesEverythingTheStoreHeld() {
        store = newStore();
        ChangeSet old = new ChangeSet();
        for (String p : List.of("/", "/gone", "/gone/child", "/kept")) {
            old.nodePut(node(p, 1));
        }
        old.aclPut(new AclImage(9, Acl.READ_ACL_UNSAFE));
        old.sessionPut(new SessionImage(1, 100, null, 1, 5));
        old.meta(meta(10));
        store.apply(old);

        RandomImage image = new RandomImage(21, 200);
        ChangeSet full = new ChangeSet();
        image.writeTo(full.asImageSink());
        assertTrue(full.replacesAll());
        ChangeSet after = new ChangeSet(); // drained after the image, merged into it before the write
        after.nodePut(node("/kept", 7));
        after.meta(new MetaImage(image.meta.appliedPosition() + 1, 0, 0, 0, 0, null));
        full.putAll(after);
        store.apply(full);

        Model model = new Model();
        image.acls.forEach(a -> model.acls.put(a.aclId(), a));
        image.nodes.forEach(n -> model.nodes.put(n.path(), n));
        image.sessions.forEach(x -> model.sessions.put(x.sessionId(), x));
        model.nodes.put("/kept", node("/kept", 7));
        model.meta = after.meta();
        assertHolds(store, model);
        store = reopen(store);
        assertHolds(store, model);

        ChangeSet older = new ChangeSet(); // a replica restored from an older snapshot re-bases the store
        older.asImageSink().meta(meta(3));
        older.nodePut(node("/", 3));
        store.apply(older);
        Model back = new Model();
        back.nodes.put("/", node("/", 3));
        back.meta = meta(3);
        assertHolds(store, back);
    }

    @Test
    void positionsNeverGoBackAndTheStoreIsUnchangedByARejectedSet() {
        store = newStore();
        Model model = new Model();
        ChangeSet a = new ChangeSet();
        a.nodePut(node("/", 0));
        a.meta(meta(100));
        model.apply(a);
        store.apply(a);
        ChangeSet old = new ChangeSet();
        old.nodePut(node("/stale", 0));
        old.meta(meta(99));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.apply(old));
        assertTrue(e.getMessage().contains("change set position: 99 (expected: >= 100"), e.getMessage());
        ChangeSet noMeta = new ChangeSet();
        noMeta.nodePut(node("/x", 0));
        assertThrows(IllegalArgumentException.class, () -> store.apply(noMeta));
        ChangeSet bad = new ChangeSet();
        bad.nodePut(node("/ok", 0));
        bad.nodePut(node("not/absolute", 0));
        bad.meta(meta(101));
        assertThrows(IllegalArgumentException.class, () -> store.apply(bad));
        store.apply(new ChangeSet());
        assertHolds(store, model);
        ChangeSet same = new ChangeSet();
        same.meta(meta(100));
        store.apply(same);
        assertHolds(store, model);
    }

    @Test
    void seededRandomChangeSetsMatchAModelAcrossReopens() {
        store = newStore();
        Model model = new Model();
        Random rnd = new Random(2026);
        List<String> paths = new ArrayList<>(List.of("/"));
        long position = 0;
        for (int round = 0; round < 40; round++) {
            ChangeSet c = new ChangeSet();
            int n = 1 + rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                int op = rnd.nextInt(10);
                if (op < 5 || paths.size() < 3) {
                    String parent = paths.get(rnd.nextInt(paths.size()));
                    String p = (parent.equals("/") ? "" : parent) + "/c" + rnd.nextInt(50);
                    if (!paths.contains(p)) {
                        paths.add(p);
                    }
                    c.nodePut(node(p, round));
                } else if (op < 8) {
                    c.nodePut(node(paths.get(rnd.nextInt(paths.size())), round));
                } else {
                    String p = paths.get(1 + rnd.nextInt(paths.size() - 1));
                    c.nodeRemoved(p);
                }
            }
            if (rnd.nextBoolean()) {
                long id = rnd.nextInt(20) - 10;
                if (rnd.nextBoolean()) {
                    c.sessionPut(new SessionImage(id, 100, new byte[] {(byte) round}, 1, round));
                } else {
                    c.sessionRemoved(id);
                }
            }
            if (rnd.nextInt(4) == 0) {
                int id = rnd.nextInt(5);
                if (rnd.nextBoolean()) {
                    c.aclPut(new AclImage(id, List.of(new Acl(round & 31, io.accord.core.acl.Id.ANYONE))));
                } else {
                    c.aclRemoved(id);
                }
            }
            position += 1 + rnd.nextInt(1000);
            c.meta(meta(position));
            model.apply(c);
            store.apply(c);
            if (round % 10 == 9) {
                store = reopen(store);
            }
            if (round % 5 == 4) {
                assertHolds(store, model);
            }
        }
        assertEquals(position, store.sync());
        store = reopen(store);
        assertHolds(store, model);
    }

    @Test
    void loadSeesOneCommittedPositionWhileAWriterContinues() throws Exception {
        store = newStore();
        ChangeSet first = new ChangeSet();
        first.nodePut(node("/", 0));
        for (int i = 0; i < 200; i++) {
            first.nodePut(node("/n" + i, 0));
        }
        first.meta(meta(1));
        store.apply(first);
        Thread writer = new Thread(() -> {
            for (int round = 1; round <= 30; round++) {
                ChangeSet c = new ChangeSet();
                for (int i = 0; i < 200; i++) {
                    c.nodePut(node("/n" + i, round)); // every node carries the round = the set's position
                }
                c.meta(meta(round + 1));
                store.apply(c);
            }
        });
        writer.start();
        for (int i = 0; i < 20; i++) {
            RandomImage.Collector c = new RandomImage.Collector();
            store.load(c);
            MetaImage m = (MetaImage) c.records.get(0);
            Set<Integer> versions = new HashSet<>();
            c.records.stream().filter(r -> r instanceof NodeImage n && !n.path().equals("/"))
                    .forEach(r -> versions.add(((NodeImage) r).version()));
            assertEquals(Set.of((int) m.appliedPosition() - 1), versions, "a load mixed two change sets");
        }
        writer.join(60_000);
        assertFalse(writer.isAlive());
        assertEquals(31, store.appliedPosition());
    }
}
