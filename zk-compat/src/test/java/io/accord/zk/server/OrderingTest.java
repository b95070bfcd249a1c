package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.GetDataResponse;
import io.accord.zk.proto.SetDataRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-session FIFO and read-your-writes under pipelining (DESIGN.md guarantees 2 and 3). */
class OrderingTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pipelinedWritesAndReadsAreAnsweredInOrderAndEachReadSeesTheWriteBeforeIt() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            List<byte[]> frames = new ArrayList<>();
            frames.add(RawClient.request(1, 1, new CreateRequest("/fifo", null, Acl.OPEN_ACL_UNSAFE, 0)));
            int xid = 2;
            for (int i = 0; i < 200; i++) {
                byte[] value = ByteBuffer.allocate(4).putInt(i).array();
                frames.add(RawClient.request(xid++, 5, new SetDataRequest("/fifo", value, -1)));
                frames.add(RawClient.request(xid++, 4, new GetDataRequest("/fifo", false)));
            }
            client.send(frames.toArray(new byte[0][]));
            assertEquals(1, client.readFrame().header().xid());
            long lastZxid = 0;
            for (int i = 0; i < 200; i++) {
                RawClient.Frame set = client.readFrame();
                assertEquals(2 + 2 * i, set.header().xid());
                assertTrue(set.header().zxid() > lastZxid, "zxids rise");
                lastZxid = set.header().zxid();
                RawClient.Frame get = client.readFrame();
                assertEquals(3 + 2 * i, get.header().xid());
                assertArrayEquals(ByteBuffer.allocate(4).putInt(i).array(), GetDataResponse.read(get.input()).data(),
                        "read " + i + " sees the write just before it and not a later one");
                assertTrue(get.header().zxid() >= set.header().zxid());
            }
        }
    }

    @Test
    void thousandsOfReadsQueuedBehindAWriteAreAllAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            int reads = 5000;
            byte[][] frames = new byte[reads + 1][];
            frames[0] = RawClient.request(1, 1, new CreateRequest("/flood", null, Acl.OPEN_ACL_UNSAFE, 0));
            for (int i = 1; i <= reads; i++) {
                frames[i] = RawClient.request(i + 1, 3, new ExistsRequest("/flood", false));
            }
            client.send(frames);
            assertEquals(0, client.readFrame().header().err());
            for (int i = 1; i <= reads; i++) {
                RawClient.Frame frame = client.readFrame();
                assertEquals(i + 1, frame.header().xid());
                assertEquals(0, frame.header().err(), "every read sees the create queued before it");
            }
        }
    }

    @Test
    void manyAsyncRequestsFromTheRealClientCompleteInIssueOrder() throws Exception {
        ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
        try {
            zk.create("/async", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            int n = 500;
            ConcurrentLinkedQueue<Integer> completions = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                if (i % 3 == 0) {
                    zk.create("/async/n", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                            (rc, path, ctx, name) -> {
                                completions.add(id);
                                done.countDown();
                            }, null);
                } else if (i % 3 == 1) {
                    zk.exists("/async", false, (rc, path, ctx, stat) -> {
                        completions.add(id);
                        done.countDown();
                    }, null);
                } else {
                    zk.getChildren("/async", false, (rc, path, ctx, children) -> {
                        completions.add(id);
                        done.countDown();
                    }, null);
                }
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            List<Integer> order = new ArrayList<>(completions);
            for (int i = 0; i < n; i++) {
                assertEquals(i, order.get(i));
            }
            assertEquals((n + 2) / 3, zk.getChildren("/async", false).size());
        } finally {
            zk.close();
        }
    }

    @Test
    void nettyClientPipelinesConnectAuthAndSetWatchesAndGetsThemAnsweredInOrder() throws Exception {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        Clients.Recorder recorder = new Clients.Recorder();
        ZooKeeper zk = new ZooKeeper(server.connectString(), 30_000, recorder, config);
        try {
            zk.addAuthInfo("digest", "netty:pw".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<String> created = new CompletableFuture<>();
            // queued before the session exists: goes out pipelined behind the ConnectRequest
            zk.create("/netty", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> created.complete(rc + " " + name), null);
            assertEquals("0 /netty", created.get(20, TimeUnit.SECONDS));
            assertNotNull(recorder.nextState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected, 20_000));
            zk.addWatch("/netty", AddWatchMode.PERSISTENT);
            // force a reconnect: the Netty client then pipelines connect + auth + setWatches2
            try (RawClient raw = new RawClient(server.port())) {
                raw.connect(new io.accord.zk.proto.ConnectRequest(0, 0, 30_000, zk.getSessionId(), new byte[16], false,
                        true));
            }
            assertNotNull(recorder.nextState(org.apache.zookeeper.Watcher.Event.KeeperState.Disconnected, 20_000));
            assertNotNull(recorder.nextState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected, 20_000));
            zk.setData("/netty", new byte[] {1}, -1);
            assertEquals("NodeDataChanged /netty", show(recorder.nextNodeEvent(10_000)));
        } finally {
            zk.close();
        }
    }

    private static String show(org.apache.zookeeper.WatchedEvent e) {
        assertNotNull(e, "no event");
        return e.getType() + " " + e.getPath();
    }

    @Test
    void anotherSessionsWriteNeverShowsInAReplyBeforeItsEvent() throws Exception {
        try (RawClient watcher = new RawClient(server.port()); RawClient writer = new RawClient(server.port())) {
            watcher.connect(RawClient.newSession(true));
            writer.connect(RawClient.newSession(true));
            for (int round = 0; round < 20; round++) {
                String path = "/race" + round;
                writer.send(RawClient.request(1, 1, new CreateRequest(path, new byte[] {0}, Acl.OPEN_ACL_UNSAFE, 0)));
                assertEquals(0, writer.readFrame().header().err());
                watcher.send(RawClient.request(1, 4, new GetDataRequest(path, true)));
                assertArrayEquals(new byte[] {0}, GetDataResponse.read(watcher.readFrame().input()).data());
                int reads = 300;
                byte[][] frames = new byte[reads][];
                for (int i = 0; i < reads; i++) {
                    frames[i] = RawClient.request(2 + i, 4, new GetDataRequest(path, false));
                }
                Thread flood = new Thread(() -> {
                    try {
                        watcher.send(frames);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                flood.start();
                writer.send(RawClient.request(2, 5, new SetDataRequest(path, new byte[] {1}, -1)));
                boolean eventSeen = false;
                for (int seen = 0; seen < reads; ) {
                    RawClient.Frame frame = watcher.readFrame();
                    if (frame.header().xid() == -1) {
                        eventSeen = true;
                        continue;
                    }
                    byte[] data = GetDataResponse.read(frame.input()).data();
                    if (data[0] == 1) {
                        assertTrue(eventSeen, "round " + round + ": reply " + frame.header().xid()
                                + " shows the new value before the NodeDataChanged event");
                    }
                    seen++;
                }
                flood.join(10_000);
                assertEquals(0, writer.readFrame().header().err());
                if (!eventSeen) {
                    assertEquals(-1, watcher.readFrame().header().xid(), "the event still arrives");
                }
            }
        }
    }

    @Test
    void readsOfOneSessionWaitOnlyForThatSessionsWrites() throws Exception {
        try (RawClient writer = new RawClient(server.port()); RawClient reader = new RawClient(server.port())) {
            writer.connect(RawClient.newSession(true));
            reader.connect(RawClient.newSession(true));
            writer.send(RawClient.request(1, 1, new CreateRequest("/other", null, Acl.OPEN_ACL_UNSAFE, 0)));
            assertEquals(0, writer.readFrame().header().err());
            reader.send(RawClient.request(1, 3, new ExistsRequest("/other", false)));
            assertEquals(0, reader.readFrame().header().err(), "another session's applied write is visible");
        }
    }
}
