package io.accord.core.storage;

import io.accord.core.codec.ImageCodec;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CheckpointStore} in sorted Java maps: the same keys and encoded values as
 * {@link XodusCheckpointStore} (so it loads in the same order), without durability. For memory mode and tests.
 *
 * <p>Threading: every method is synchronized; {@link #apply} encodes the whole set before changing anything,
 * so it is atomic to {@link #load}. Cost: O(log n) per change, values are copied once when encoded.
 */
public final class MemoryCheckpointStore implements CheckpointStore {
    private final TreeMap<byte[], byte[]> nodes = new TreeMap<>(Arrays::compareUnsigned);
    private final TreeMap<Integer, byte[]> acls = new TreeMap<>();
    private final TreeMap<Long, byte[]> sessions = new TreeMap<>();
    private byte[] meta;
    private volatile long appliedPosition = EMPTY;
    private long bytes;
    private boolean closed;

    @Override
    public long appliedPosition() {
        return appliedPosition;
    }

    @Override
    public synchronized boolean load(ImageSink sink) {
        ensureOpen();
        if (meta == null) {
            return false;
        }
        sink.meta(ImageCodec.decodeMeta(meta, 0, meta.length));
        for (Map.Entry<Integer, byte[]> e : acls.entrySet()) {
            byte[] v = e.getValue();
            sink.acl(new AclImage(e.getKey(), ImageCodec.decodeAcl(v, 0, v.length, "acl " + e.getKey())));
        }
        for (Map.Entry<byte[], byte[]> e : nodes.entrySet()) {
            byte[] k = e.getKey();
            byte[] v = e.getValue();
            sink.node(ImageCodec.decodeNode(ImageCodec.pathOfKey(k, 0, k.length), v, 0, v.length));
        }
        for (Map.Entry<Long, byte[]> e : sessions.entrySet()) {
            byte[] v = e.getValue();
            sink.session(ImageCodec.decodeSession(e.getKey(), v, 0, v.length));
        }
        return true;
    }

    @Override
    public synchronized void apply(ChangeSet changes) {
        ensureOpen();
        long position = changes.targetPosition(appliedPosition, "memory checkpoint store");
        if (changes.isEmpty()) {
            return;
        }
        // encode everything first: a bad record fails the whole set before anything changed
        List<byte[][]> nodeWrites = new ArrayList<>(changes.nodes().size());
        for (Map.Entry<String, NodeImage> e : changes.nodes().entrySet()) {
            NodeImage n = e.getValue();
            nodeWrites.add(new byte[][] {ImageCodec.nodeKey(e.getKey()), n == null ? null : ImageCodec.nodeValue(n)});
        }
        List<Object[]> aclWrites = new ArrayList<>();
        for (Map.Entry<Integer, AclImage> e : changes.acls().entrySet()) {
            AclImage a = e.getValue();
            aclWrites.add(new Object[] {e.getKey(), a == null ? null : ImageCodec.aclValue(a.acl())});
        }
        List<Object[]> sessionWrites = new ArrayList<>();
        for (Map.Entry<Long, SessionImage> e : changes.sessions().entrySet()) {
            SessionImage s = e.getValue();
            sessionWrites.add(new Object[] {e.getKey(), s == null ? null : ImageCodec.sessionValue(s)});
        }
        MetaImage m = changes.meta();
        byte[] metaValue = ImageCodec.metaValue(m);

        if (changes.replacesAll()) {
            nodes.clear();
            acls.clear();
            sessions.clear();
            bytes = 0;
        }
        for (byte[][] w : nodeWrites) {
            bytes -= size(w[0], w[1] == null ? nodes.remove(w[0]) : nodes.put(w[0], w[1]));
            bytes += size(w[0], w[1]);
        }
        for (Object[] w : aclWrites) {
            byte[] old = w[1] == null ? acls.remove((Integer) w[0]) : acls.put((Integer) w[0], (byte[]) w[1]);
            bytes += len((byte[]) w[1]) - len(old);
        }
        for (Object[] w : sessionWrites) {
            byte[] old = w[1] == null ? sessions.remove((Long) w[0]) : sessions.put((Long) w[0], (byte[]) w[1]);
            bytes += len((byte[]) w[1]) - len(old);
        }
        meta = metaValue;
        appliedPosition = position;
    }

    private static long size(byte[] key, byte[] value) {
        return value == null ? 0 : key.length + value.length;
    }

    private static long len(byte[] v) {
        return v == null ? 0 : v.length;
    }

    @Override
    public long sync() {
        return appliedPosition;
    }

    @Override
    public synchronized long sizeBytes() {
        return bytes + len(meta);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("memory checkpoint store is closed");
        }
    }
}
