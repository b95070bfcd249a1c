package io.accord.core.storage;

import io.accord.core.codec.CorruptDataException;
import io.accord.core.codec.ImageCodec;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent {@link CheckpointStore}: a Xodus 2.0.1 environment in a directory, laid out as XODUS.md §11
 * recommends.
 *
 * <pre>
 *  store      config                                 key                              value
 *  nodes      Patricia WITHOUT_DUPLICATES_WITH_PREFIXING  utf8(parent) 0x00 utf8(name)  ImageCodec node value
 *                                                    (root: 0x00)
 *  acls       Patricia WITHOUT_DUPLICATES_WITH_PREFIXING  aclId, 4 bytes BE sign-flipped  ImageCodec acl list
 *  sessions   Patricia WITHOUT_DUPLICATES_WITH_PREFIXING  sessionId, 8 bytes BE sign-flip ImageCodec session
 *  meta       Patricia WITHOUT_DUPLICATES_WITH_PREFIXING  "format"                         int32 LE FORMAT_VERSION
 *                                                    "meta"                           ImageCodec meta (position)
 * </pre>
 *
 * <p>Each {@link #apply} is <b>one</b> exclusive Xodus transaction holding every node, ACL and session change of
 * the set plus the meta record with the position, so after a crash the store holds exactly one consistent
 * position. {@link #load} is one read-only snapshot: meta, ACLs, then a single ordered cursor scan of
 * {@code nodes} (the key layout puts every parent before its children), then sessions.
 *
 * <p>Settings follow XODUS.md: non-durable commits (the replicated log is the write-ahead log; {@link #sync}
 * fsyncs on demand via {@code EnvironmentImpl.flushAndSync}), 128 MiB log files, a bounded private log cache,
 * log GC on. The JVM needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, and the thread calling
 * {@link #apply} must never be interrupted: without the flag one interrupt during a commit makes the
 * environment permanently inoperative (XODUS.md §1). {@link #open} warns when the flag is missing.
 *
 * <p>Threading: one writer at a time; {@link #load} and {@link #appliedPosition()} from any thread.
 * Cost: a Xodus put costs roughly 5–20 µs of CPU in large transactions, so write coalesced change sets of
 * thousands of nodes, not single changes. A transaction holds its changes in memory until commit.
 */
public final class XodusCheckpointStore implements CheckpointStore {
    /** Version of the layout above; a store with another version is refused. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(XodusCheckpointStore.class);
    private static final ByteIterable FORMAT_KEY = key("format");
    private static final ByteIterable META_KEY = key("meta");

    private final Path dir;
    private final Environment env;
    private final Store nodes;
    private final Store acls;
    private final Store sessions;
    private final Store meta;
    private volatile long appliedPosition;
    private volatile long syncedPosition;
    private volatile boolean closed;

    /**
     * Xodus settings.
     *
     * @param logFileSizeKb  size of each Xodus log file (XODUS.md: raise from 8 MB to 64–256 MB for large stores)
     * @param cacheBytes     the environment's private log cache (Xodus defaults to 50% of the heap, which would
     *                       compete with the in-memory tree)
     * @param gcEnabled      Xodus log GC (reclaims space of overwritten znodes; runs in the background and takes
     *                       an exclusive transaction, which only delays the checkpointer)
     * @param gcMinUtilization percent of live data below which a log file is cleaned
     * @param syncPeriodMs   Xodus' own background fsync period
     */
    public record Settings(long logFileSizeKb, long cacheBytes, boolean gcEnabled, int gcMinUtilization,
                           long syncPeriodMs) {
        public Settings {
            if (logFileSizeKb < 1024) {
                throw new IllegalArgumentException("logFileSizeKb: " + logFileSizeKb + " (expected: >= 1024)");
            }
            if (cacheBytes < (1 << 20)) {
                throw new IllegalArgumentException("cacheBytes: " + cacheBytes + " (expected: >= 1048576)");
            }
            if (gcMinUtilization < 1 || gcMinUtilization > 90) {
                throw new IllegalArgumentException("gcMinUtilization: " + gcMinUtilization + " (expected: 1..90)");
            }
            if (syncPeriodMs < 0) {
                throw new IllegalArgumentException("syncPeriodMs: " + syncPeriodMs + " (expected: >= 0)");
            }
        }

        public static Settings defaults() {
            return new Settings(128 * 1024, 64L << 20, true, 50, 10_000);
        }

        public Settings withLogFileSizeKb(long kb) {
            return new Settings(kb, cacheBytes, gcEnabled, gcMinUtilization, syncPeriodMs);
        }

        public Settings withGcEnabled(boolean enabled) {
            return new Settings(logFileSizeKb, cacheBytes, enabled, gcMinUtilization, syncPeriodMs);
        }
    }

    private XodusCheckpointStore(Path dir, Environment env, Store nodes, Store acls, Store sessions, Store meta,
                                 long position) {
        this.dir = dir;
        this.env = env;
        this.nodes = nodes;
        this.acls = acls;
        this.sessions = sessions;
        this.meta = meta;
        this.appliedPosition = position;
        this.syncedPosition = position;
    }

    public static XodusCheckpointStore open(Path dir) {
        return open(dir, Settings.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code dir}.
     *
     * @throws CheckpointException if the directory holds a store of another format version or not an Accord
     *                             checkpoint store, or Xodus cannot open it; the message says what to do
     */
    public static XodusCheckpointStore open(Path dir, Settings settings) {
        warnIfInterruptible();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("checkpoint store " + dir + ": cannot create directory: " + e, e);
        }
        EnvironmentConfig config = new EnvironmentConfig()
                .setLogDurableWrite(false)
                .setLogFileSize(settings.logFileSizeKb())
                .setLogCacheShared(false)
                .setMemoryUsage(settings.cacheBytes())
                .setLogSyncPeriod(settings.syncPeriodMs())
                .setGcEnabled(settings.gcEnabled())
                .setGcMinUtilization(settings.gcMinUtilization())
                .setEnvCloseForcedly(true);
        Environment env;
        try {
            env = Environments.newInstance(dir.toFile(), config);
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint store " + dir + ": Xodus cannot open it (" + e
                    + "). If another process holds it (see xd.lck), stop that process; if the files are damaged,"
                    + " move the directory away so the node rebuilds from the cluster", e);
        }
        try {
            return init(dir, env);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    private static XodusCheckpointStore init(Path dir, Environment env) {
        Transaction txn = env.beginExclusiveTransaction();
        try {
            StoreConfig sc = StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING;
            Store nodes = env.openStore("nodes", sc, txn);
            Store acls = env.openStore("acls", sc, txn);
            Store sessions = env.openStore("sessions", sc, txn);
            Store meta = env.openStore("meta", sc, txn);
            ByteIterable format = meta.get(txn, FORMAT_KEY);
            long position = EMPTY;
            if (format == null) {
                if (meta.count(txn) != 0 || nodes.count(txn) != 0 || acls.count(txn) != 0 || sessions.count(txn) != 0) {
                    throw new CheckpointException("checkpoint store " + dir + ": holds data but no format record"
                            + " (expected: an Accord checkpoint store); move the directory away");
                }
                meta.put(txn, FORMAT_KEY, new ArrayByteIterable(intLe(FORMAT_VERSION)));
            } else {
                int version = format.getLength() == 4 ? readIntLe(format.getBytesUnsafe()) : -1;
                if (version != FORMAT_VERSION) {
                    throw new CheckpointException("checkpoint store " + dir + ": format version " + version
                            + " (expected: " + FORMAT_VERSION + "); it was written by another Accord version."
                            + " Run that version, or move the directory away and let this node rebuild its state"
                            + " from the cluster (snapshot and log)");
                }
                ByteIterable m = meta.get(txn, META_KEY);
                if (m != null) {
                    position = ImageCodec.decodeMeta(m.getBytesUnsafe(), 0, m.getLength()).appliedPosition();
                }
            }
            if (!txn.commit()) {
                throw new CheckpointException("checkpoint store " + dir + ": could not commit initialisation");
            }
            LOG.info("checkpoint store {} opened at position {}", dir, position);
            return new XodusCheckpointStore(dir, env, nodes, acls, sessions, meta, position);
        } finally {
            if (!txn.isFinished()) {
                txn.abort();
            }
        }
    }

    private static void warnIfInterruptible() {
        boolean opened = false;
        try {
            Class<?> c = Class.forName("sun.nio.ch.FileChannelImpl");
            opened = c.getModule().isOpen("sun.nio.ch", XodusCheckpointStore.class.getModule());
        } catch (ClassNotFoundException ignored) {
            // another JDK layout: nothing to check
        }
        if (!opened) {
            LOG.warn("Xodus runs with an interruptible file channel: start the JVM with --add-opens "
                    + "java.base/sun.nio.ch=ALL-UNNAMED, or one interrupt of the checkpoint thread breaks the store");
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public long appliedPosition() {
        return appliedPosition;
    }

    /** The position made durable by the last {@link #sync}. */
    public long syncedPosition() {
        return syncedPosition;
    }

    @Override
    public boolean load(ImageSink sink) {
        ensureOpen();
        Transaction txn = env.beginReadonlyTransaction();
        try {
            ByteIterable m = meta.get(txn, META_KEY);
            if (m == null) {
                return false;
            }
            sink.meta(ImageCodec.decodeMeta(m.getBytesUnsafe(), 0, m.getLength()));
            try (Cursor c = acls.openCursor(txn)) {
                while (c.getNext()) {
                    ByteIterable k = c.getKey();
                    ByteIterable v = c.getValue();
                    int id = ImageCodec.aclIdOfKey(k.getBytesUnsafe(), 0, k.getLength());
                    sink.acl(new AclImage(id, ImageCodec.decodeAcl(v.getBytesUnsafe(), 0, v.getLength(), "acl " + id)));
                }
            }
            try (Cursor c = nodes.openCursor(txn)) {
                while (c.getNext()) {
                    ByteIterable k = c.getKey();
                    ByteIterable v = c.getValue();
                    String path = ImageCodec.pathOfKey(k.getBytesUnsafe(), 0, k.getLength());
                    sink.node(ImageCodec.decodeNode(path, v.getBytesUnsafe(), 0, v.getLength()));
                }
            }
            try (Cursor c = sessions.openCursor(txn)) {
                while (c.getNext()) {
                    ByteIterable k = c.getKey();
                    ByteIterable v = c.getValue();
                    long id = ImageCodec.sessionIdOfKey(k.getBytesUnsafe(), 0, k.getLength());
                    sink.session(ImageCodec.decodeSession(id, v.getBytesUnsafe(), 0, v.getLength()));
                }
            }
            return true;
        } catch (CorruptDataException e) {
            throw new CheckpointException("checkpoint store " + dir + ": corrupt record: " + e.getMessage()
                    + "; move the directory away so the node rebuilds from the cluster", e);
        } finally {
            txn.abort();
        }
    }

    @Override
    public void apply(ChangeSet changes) {
        ensureOpen();
        long position = changes.targetPosition(appliedPosition, "checkpoint store " + dir);
        if (changes.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        // encode and sort before the transaction: sorted puts touch the Patricia tree in key order
        List<byte[][]> writes = new ArrayList<>(changes.nodes().size());
        for (Map.Entry<String, NodeImage> e : changes.nodes().entrySet()) {
            NodeImage n = e.getValue();
            writes.add(new byte[][] {ImageCodec.nodeKey(e.getKey()), n == null ? null : ImageCodec.nodeValue(n)});
        }
        writes.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
        byte[] metaValue = ImageCodec.metaValue(changes.meta());
        long t1 = System.nanoTime();
        long t2;

        Transaction txn;
        try {
            txn = env.beginExclusiveTransaction();
        } catch (RuntimeException e) {
            throw failure("cannot begin a transaction", e);
        }
        try {
            if (changes.replacesAll()) {
                removeAllBut(txn, changes);
            }
            for (Map.Entry<Integer, AclImage> e : changes.acls().entrySet()) {
                ByteIterable k = new ArrayByteIterable(ImageCodec.aclKey(e.getKey()));
                if (e.getValue() == null) {
                    acls.delete(txn, k);
                } else {
                    acls.put(txn, k, new ArrayByteIterable(ImageCodec.aclValue(e.getValue().acl())));
                }
            }
            for (byte[][] w : writes) {
                ByteIterable k = new ArrayByteIterable(w[0]);
                if (w[1] == null) {
                    nodes.delete(txn, k);
                } else {
                    nodes.put(txn, k, new ArrayByteIterable(w[1]));
                }
            }
            for (Map.Entry<Long, SessionImage> e : changes.sessions().entrySet()) {
                ByteIterable k = new ArrayByteIterable(ImageCodec.sessionKey(e.getKey()));
                if (e.getValue() == null) {
                    sessions.delete(txn, k);
                } else {
                    sessions.put(txn, k, new ArrayByteIterable(ImageCodec.sessionValue(e.getValue())));
                }
            }
            meta.put(txn, META_KEY, new ArrayByteIterable(metaValue));
            t2 = System.nanoTime();
            if (!txn.commit()) {
                throw new CheckpointException("checkpoint store " + dir + ": commit at position " + position
                        + " was refused by Xodus (a concurrent writer?)");
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw failure("write of " + changes.size() + " changes at position " + position + " failed", e);
        } finally {
            if (!txn.isFinished()) {
                txn.abort();
            }
        }
        appliedPosition = position;
        if (LOG.isDebugEnabled()) {
            long t3 = System.nanoTime();
            LOG.debug("applied {} changes at position {}: encode+sort {} ms, puts {} ms, commit {} ms", changes.size(),
                    position, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        }
    }

    /** For a full image: deletes every stored record the image does not hold (one scan of each store). */
    private void removeAllBut(Transaction txn, ChangeSet image) {
        try (Cursor c = nodes.openCursor(txn)) {
            while (c.getNext()) {
                ByteIterable k = c.getKey();
                if (image.nodes().get(ImageCodec.pathOfKey(k.getBytesUnsafe(), 0, k.getLength())) == null) {
                    c.deleteCurrent();
                }
            }
        }
        try (Cursor c = acls.openCursor(txn)) {
            while (c.getNext()) {
                ByteIterable k = c.getKey();
                if (image.acls().get(ImageCodec.aclIdOfKey(k.getBytesUnsafe(), 0, k.getLength())) == null) {
                    c.deleteCurrent();
                }
            }
        }
        try (Cursor c = sessions.openCursor(txn)) {
            while (c.getNext()) {
                ByteIterable k = c.getKey();
                if (image.sessions().get(ImageCodec.sessionIdOfKey(k.getBytesUnsafe(), 0, k.getLength())) == null) {
                    c.deleteCurrent();
                }
            }
        }
    }

    private CheckpointException failure(String what, Throwable e) {
        return new CheckpointException("checkpoint store " + dir + ": " + what + ": " + e
                + " (the store stays at position " + appliedPosition + "; check free disk space)", e);
    }

    @Override
    public long sync() {
        ensureOpen();
        long position = appliedPosition;
        try {
            ((EnvironmentImpl) env).flushAndSync();
        } catch (RuntimeException e) {
            throw failure("fsync failed", e);
        }
        syncedPosition = position;
        return position;
    }

    @Override
    public long sizeBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted by the log GC while we looked
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of stored znodes (one read-only transaction; O(1) in Xodus). */
    public long nodeCount() {
        return env.computeInReadonlyTransaction(txn -> nodes.count(txn));
    }

    /** Closes the environment (after Xodus flushed it); never loses a committed change set. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        env.close();
        LOG.info("checkpoint store {} closed at position {}", dir, appliedPosition);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("checkpoint store " + dir + " is closed");
        }
    }

    private static ByteIterable key(String s) {
        return new ArrayByteIterable(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] intLe(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static int readIntLe(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }
}
