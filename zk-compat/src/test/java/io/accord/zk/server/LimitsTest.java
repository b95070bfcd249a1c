package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.zk.proto.GetChildrenRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * Limits that protect the server, compared with a real ZooKeeper 3.9.5 where ZooKeeper has the same limit:
 * {@code maxClientCnxns} per address, a children listing larger than {@code jute.maxbuffer}, and connection
 * storms that must leave no connection, session or file descriptor behind.
 */
class LimitsTest {

    /** What a client sees when it opens one connection more than maxClientCnxns, and after one closes. */
    private static List<String> maxClientCnxnsStory(int port) throws Exception {
        List<String> story = new ArrayList<>();
        List<RawClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // sessionless connections count too
                open.add(new RawClient(port));
            }
            // ZooKeeper counts a connection on its selector thread a moment after accepting it, so a fourth
            // connection opened at once can slip through there; Accord counts it when accepted
            Thread.sleep(500);
            try (RawClient fourth = new RawClient(port)) {
                fourth.socket.setSoTimeout(3000);
                story.add("4th: " + (fourth.closedByServer() ? "closed without a byte" : "kept open"));
            }
            open.get(0).connect(RawClient.newSession(true));
            story.add("1st still serves a handshake");
            open.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (RawClient again = new RawClient(port)) {
                    again.socket.setSoTimeout(3000);
                    if (again.connect(RawClient.newSession(true)) != null) {
                        story.add("after a close: a new connection is served");
                        break;
                    }
                } catch (IOException refused) {
                    // still counted: the server has not seen the close yet
                }
                if (System.nanoTime() > deadline) {
                    story.add("after a close: still refused");
                    break;
                }
                Thread.sleep(50);
            }
        } finally {
            for (RawClient c : open) {
                c.close();
            }
        }
        return story;
    }

    @Test
    void maxClientCnxnsBehavesAsZooKeeper() throws Exception {
        List<String> zooKeeper;
        try (RealZooKeeper real = new RealZooKeeper(3)) {
            zooKeeper = maxClientCnxnsStory(real.clientPort());
        }
        try (TestServer server = TestServer.start(c -> c.maxClientCnxns(3))) {
            assertEquals(zooKeeper, maxClientCnxnsStory(server.port()));
        }
        assertEquals(List.of("4th: closed without a byte", "1st still serves a handshake",
                "after a close: a new connection is served"), zooKeeper);
    }

    /**
     * A listing of more than {@code jute.maxbuffer} bytes: ZooKeeper checks that bound only on what it reads, so it
     * sends the whole listing (a client with the default bound then drops the connection). Accord does the same,
     * without trouble for the server.
     */
    @Test
    void aChildrenListingLargerThanJuteMaxbufferIsSentWhole() throws Exception {
        String zooKeeper;
        try (RealZooKeeper real = new RealZooKeeper()) {
            zooKeeper = bigListing(real.connectString(), real.clientPort());
        }
        try (TestServer server = TestServer.start()) {
            assertEquals(zooKeeper, bigListing(server.connectString(), server.port()));
            try (RawClient after = new RawClient(server.port())) {
                assertTrue(after.connect(RawClient.newSession(true)) != null, "the server still serves");
            }
        }
    }

    private static final int CHILDREN = 5000;
    private static final int NAME_LENGTH = 250;

    private static String bigListing(String connectString, int port) throws Exception {
        ZooKeeper zk = Clients.connect(connectString, 30_000, new Clients.Recorder());
        try {
            zk.create("/big", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            CountDownLatch created = new CountDownLatch(CHILDREN);
            AtomicInteger failed = new AtomicInteger();
            AsyncCallback.StringCallback done = (rc, path, ctx, name) -> {
                if (rc != 0) {
                    failed.incrementAndGet();
                }
                created.countDown();
            };
            String padding = "x".repeat(NAME_LENGTH - 5);
            for (int i = 0; i < CHILDREN; i++) {
                zk.create(String.format("/big/%05d%s", i, padding), null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT, done, null);
            }
            assertTrue(created.await(60, TimeUnit.SECONDS));
            assertEquals(0, failed.get());
        } finally {
            zk.close();
        }
        try (RawClient raw = new RawClient(port)) {
            raw.connect(RawClient.newSession(true));
            raw.send(RawClient.request(5, 8, new GetChildrenRequest("/big", false)));
            byte[] reply = raw.readPayload();
            ByteBuffer in = ByteBuffer.wrap(reply);
            int xid = in.getInt();
            in.getLong();
            int err = in.getInt();
            int count = in.getInt();
            return "frame of " + reply.length + " bytes (jute.maxbuffer " + 0xfffff + "), xid " + xid + ", err " + err
                    + ", " + count + " children";
        }
    }

    /**
     * Thousands of connections opened and dropped, half of them after a handshake, from several threads: nothing
     * is left behind (connections, per-address counts, sessions once they expire, file descriptors).
     */
    @Test
    void connectionStormsLeaveNothingBehind() throws Exception {
        int perThread = Integer.getInteger("storm.connections", 500); // per thread
        int threads = 4;
        try (TestServer server = TestServer.start(CoreConfig.defaults(), 200, c -> c)) { // sessions expire in 4 s
            ServerNode node = server.server.node();
            long fdsBefore = openFileDescriptors();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        int handshakes = 0;
                        for (int i = 0; i < perThread; i++) {
                            try (RawClient c = new RawClient(server.port())) {
                                if ((i + thread) % 2 == 0) {
                                    c.connect(RawClient.newSession(true));
                                    handshakes++;
                                }
                            }
                        }
                        return handshakes;
                    }));
                }
                for (Future<Integer> f : results) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("connection storm: %d connections in %.1f s (%.0f/s)%n", threads * perThread, seconds,
                    threads * perThread / seconds);
            Await.until("every connection closed", () -> node.connections.isEmpty());
            Await.until("every session expired", () -> server.replica.sessionCount() == 0);
            assertEquals(0, node.outstanding());
            assertEquals(0, node.pendingCount());
            // the per-address count is back to zero: maxClientCnxns connections are accepted at once
            List<RawClient> full = new ArrayList<>();
            try {
                for (int i = 0; i < server.server.context().maxClientCnxns(); i++) {
                    RawClient c = new RawClient(server.port());
                    full.add(c);
                    assertTrue(c.connect(RawClient.newSession(true)) != null, "connection " + i + " refused");
                }
            } finally {
                for (RawClient c : full) {
                    c.close();
                }
            }
            Await.until("those closed too", () -> node.connections.isEmpty());
            long fdsAfter = openFileDescriptors();
            assertTrue(fdsAfter <= fdsBefore + 5, "file descriptors: " + fdsBefore + " before, " + fdsAfter + " after");
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
