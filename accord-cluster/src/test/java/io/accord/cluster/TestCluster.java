package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.accord.core.CoreConfig;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test harness: N real Aeron members in this JVM with the small profile of AERON.md section 10c, unique free
 * UDP ports below the ephemeral range, unique data dirs (deleted on close) and unique /dev/shm dirs (deleted on
 * close). Each member's listener records what its replica applied, by request id.
 */
final class TestCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);
    static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));
    /** 16 KiB values: ingress term 512 KiB, log term 1 MiB, IPC 256 KiB, segment 16 MiB. */
    static final CoreConfig SMALL = CoreConfig.defaults().withMaxDataBytes(16 * 1024);
    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger(21_000 + 50 * ThreadLocalRandom.current().nextInt(100));

    final List<Member> members;
    final Path root;
    final StorageMode mode;
    private final UnaryOperator<AeronReplicationPort.Context> customize;
    private final String shmPrefix;
    private final Map<Integer, AeronReplicationPort> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, Recorder> recorders = new ConcurrentHashMap<>();
    /**
     * Request ids unique across incarnations: a restarted process replays its predecessor's entries, whose
     * request ids must not match the ones it submits itself (the listener matches by origin and request id).
     */
    private final AtomicLong requestIds = new AtomicLong(System.currentTimeMillis() << 20);
    private final Map<Integer, Long> sessions = new ConcurrentHashMap<>();
    /** The replica's position right after create (before Aeron replays anything): what Xodus restored. */
    final Map<Integer, Long> positionAtCreate = new ConcurrentHashMap<>();

    /** What one node's replica applied: its own requests by id (with a count, to catch duplicates). */
    static final class Recorder implements ApplyListener {
        final int nodeId;
        final Map<Long, Applied> own = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> ownCount = new ConcurrentHashMap<>();
        final AtomicLong all = new AtomicLong();

        Recorder(int nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void onApplied(Applied applied) {
            all.incrementAndGet();
            Request r = applied.request();
            if (r.origin() == nodeId && r.requestId() != 0) {
                own.put(r.requestId(), applied);
                ownCount.computeIfAbsent(r.requestId(), k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private TestCluster(int size, StorageMode mode, UnaryOperator<AeronReplicationPort.Context> customize) {
        this(size, mode, customize, freePortBlock(size * 10), createRoot());
    }

    private TestCluster(int size, StorageMode mode, UnaryOperator<AeronReplicationPort.Context> customize, int base,
                        Path root) {
        this.mode = mode;
        this.customize = customize;
        this.members = members(size, base);
        this.root = root;
        this.shmPrefix = shmPrefix(root);
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("accord-cluster-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Member> members(int size, int base) {
        List<Member> list = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            list.add(new Member(i, "127.0.0.1", base + 10 * (i - 1)));
        }
        return list;
    }

    static String shmPrefix(Path root) {
        return "/dev/shm/accord-test-" + root.getFileName();
    }

    /** A harness over an existing root and base port (the dirs another process used). */
    static TestCluster at(Path root, int base, int size, StorageMode mode) {
        return at(root, base, size, mode, UnaryOperator.identity());
    }

    static TestCluster at(Path root, int base, int size, StorageMode mode,
                          UnaryOperator<AeronReplicationPort.Context> customize) {
        return new TestCluster(size, mode, customize, base, root);
    }

    /** A free block of {@code n} UDP ports for a cluster started outside this harness. */
    static int freePorts(int n) {
        return freePortBlock(n);
    }

    static TestCluster of(int size, StorageMode mode) {
        return new TestCluster(size, mode, UnaryOperator.identity());
    }

    static TestCluster of(int size, StorageMode mode, UnaryOperator<AeronReplicationPort.Context> customize) {
        return new TestCluster(size, mode, customize);
    }

    /** Finds {@code n} consecutive free UDP ports below 32768. */
    private static int freePortBlock(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = NEXT_PORT.getAndAdd(n);
            if (base + n >= 32_000) {
                NEXT_PORT.set(21_000);
                continue;
            }
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
                try (DatagramSocket s = new DatagramSocket(address)) {
                    s.getLocalPort();
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no block of " + n + " free UDP ports found");
    }

    Path dataDir(int id) {
        return root.resolve("member-" + id);
    }

    AeronReplicationPort.Context context(int id) {
        return customize.apply(smallContext(members, id, dataDir(id), shmPrefix + "-" + id, mode));
    }

    /** The small test profile (AERON.md section 10c) with 2 s heartbeats and a 250 ms tick. */
    static AeronReplicationPort.Context smallContext(List<Member> members, int id, Path dataDir, String aeronDir,
                                                     StorageMode mode) {
        return new AeronReplicationPort.Context()
                .nodeId(id)
                .members(members)
                .dataDir(dataDir)
                .aeronDirectoryName(aeronDir)
                .storageMode(mode)
                .coreConfig(SMALL)
                .leaderHeartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
                .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
                .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(4))
                .tickIntervalMs(250)
                .snapshotIntervalMs(0);
    }

    /** Creates (Xodus load) and starts member {@code id} with a fresh recorder. */
    AeronReplicationPort start(int id) {
        AeronReplicationPort port = AeronReplicationPort.create(context(id));
        positionAtCreate.put(id, port.replica().appliedPosition());
        Recorder rec = new Recorder(id);
        port.listener(rec);
        port.start();
        nodes.put(id, port);
        recorders.put(id, rec);
        return port;
    }

    TestCluster startAll() {
        for (Member m : members) {
            start(m.id());
        }
        return this;
    }

    void stop(int id) {
        AeronReplicationPort p = nodes.remove(id);
        if (p != null) {
            p.close();
        }
    }

    void wipe(int id) throws IOException {
        deleteTree(dataDir(id));
    }

    AeronReplicationPort node(int id) {
        AeronReplicationPort p = nodes.get(id);
        if (p == null) {
            throw new IllegalStateException("member " + id + " is not running");
        }
        return p;
    }

    Recorder recorder(int id) {
        return recorders.get(id);
    }

    List<Integer> running() {
        return nodes.keySet().stream().sorted().toList();
    }

    void awaitServing(Duration timeout) {
        for (int id : running()) {
            assertTrue(node(id).awaitServing(timeout), "member " + id + " not serving within " + timeout + ": "
                    + node(id).stats());
        }
    }

    /** The running leader, waiting for one. */
    int awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int id : running()) {
                if (node(id).isLeader()) {
                    return id;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return fail("no leader within " + timeout);
    }

    static Request create(int origin, long requestId, long sessionId, String path, byte[] data) {
        return new Request(origin, requestId, sessionId, IP,
                new Op.Create(Op.OPCODE_CREATE, path, data, Acl.OPEN_ACL_UNSAFE, 0, -1));
    }

    /** A session owned by member {@code id} (created through the log once, then reused; 10 min timeout). */
    long session(int id, Duration timeout) {
        Long s = sessions.get(id);
        if (s != null) {
            return s;
        }
        long requestId = requestIds.incrementAndGet();
        submit(id, new Request(id, requestId, 0, IP, new Op.CreateSession(600_000, new byte[16])), timeout);
        Applied a = awaitApplied(id, requestId, timeout);
        long sessionId = ((Result.SessionCreated) a.result()).sessionId();
        sessions.put(id, sessionId);
        return sessionId;
    }

    void submit(int id, Request r, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!node(id).submit(r)) {
            if (System.nanoTime() > deadline) {
                fail("member " + id + " refused " + r + " for " + timeout + ": " + node(id).stats());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Submits a create of {@code path} through member {@code id}, retrying while it refuses; returns its id. */
    long submitCreate(int id, String path, Duration timeout) {
        long sessionId = session(id, timeout);
        long requestId = requestIds.incrementAndGet();
        submit(id, create(id, requestId, sessionId, path, path.getBytes(StandardCharsets.UTF_8)), timeout);
        return requestId;
    }

    /** Waits until member {@code id} applied its own request {@code requestId}. */
    Applied awaitApplied(int id, long requestId, Duration timeout) {
        Recorder rec = recorder(id);
        await(() -> rec.own.containsKey(requestId), timeout, () -> "member " + id + " request " + requestId
                + " not applied: " + node(id).stats());
        return rec.own.get(requestId);
    }

    static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + ": " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Waits until every running member has applied the same log position and has the same digest. */
    void awaitConverged(Duration timeout) {
        await(() -> {
            List<Integer> ids = running();
            long pos = node(ids.get(0)).replica().appliedPosition();
            long digest = node(ids.get(0)).replica().digest();
            for (int id : ids) {
                if (node(id).replica().appliedPosition() != pos || node(id).replica().digest() != digest) {
                    return false;
                }
            }
            return true;
        }, timeout, () -> {
            StringBuilder sb = new StringBuilder("members did not converge:");
            for (int id : running()) {
                sb.append("\n  ").append(id).append(": position ").append(node(id).replica().appliedPosition())
                        .append(" digest ").append(node(id).replica().digest()).append(' ').append(node(id).stats());
            }
            return sb.toString();
        });
    }

    @Override
    public void close() {
        for (int id : running()) {
            try {
                stop(id);
            } catch (RuntimeException e) {
                LOG.warn("closing member {} failed", id, e);
            }
        }
        try {
            deleteTree(root);
            for (Member m : members) {
                deleteTree(Path.of(shmPrefix + "-" + m.id()));
            }
        } catch (IOException e) {
            LOG.warn("cleaning up {} failed", root, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
