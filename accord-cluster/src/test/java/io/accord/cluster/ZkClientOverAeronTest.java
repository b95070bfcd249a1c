package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.server.ZkServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real ZooKeeper client against zk-compat's ZkServer running over AeronReplicationPort. */
class ZkClientOverAeronTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ZkServer serve(AeronReplicationPort port) {
        return ZkServer.launch(new ZkServer.Context().replicationPort(port).bindAddress("127.0.0.1").port(0)
                .tickTimeMs(2000).ioThreads(1).adminEnableServer(false).closePortOnClose(true));
    }

    private static ZooKeeper connect(ZkServer server, BlockingQueue<WatchedEvent> events) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.port(), 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected
                    && e.getType() == Watcher.Event.EventType.None) {
                connected.countDown();
            } else if (events != null && e.getType() != Watcher.Event.EventType.None) {
                events.add(e);
            }
        });
        assertTrue(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS), "client did not connect");
        return zk;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void realClientCreatesReadsUpdatesAndWatchesOverAOneMemberCluster() throws Exception {
        try (TestCluster c = TestCluster.of(1, StorageMode.PERSISTENT)) {
            AeronReplicationPort port = AeronReplicationPort.create(c.context(1));
            try (ZkServer server = serve(port)) {
                assertTrue(port.awaitServing(WAIT));
                BlockingQueue<WatchedEvent> events = new ArrayBlockingQueue<>(16);
                ZooKeeper zk = connect(server, events);
                try {
                    assertEquals("/app", zk.create("/app", "v1".getBytes(StandardCharsets.UTF_8),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                    Stat stat = new Stat();
                    assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), zk.getData("/app", true, stat));
                    zk.setData("/app", "v2".getBytes(StandardCharsets.UTF_8), stat.getVersion());
                    WatchedEvent e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertNotNull(e, "data watch did not fire");
                    assertEquals(Watcher.Event.EventType.NodeDataChanged, e.getType());
                    String seq = zk.create("/app/q-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.EPHEMERAL_SEQUENTIAL);
                    assertEquals("/app/q-0000000000", seq);
                    assertEquals(List.of("q-0000000000"), zk.getChildren("/app", false));
                    zk.delete(seq, -1);
                    assertNull(zk.exists(seq, false));
                } finally {
                    zk.close();
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWriteThroughOneNodeIsReadAndWatchedThroughTheOthers() throws Exception {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY)) {
            List<ZkServer> servers = new ArrayList<>();
            List<AeronReplicationPort> ports = new ArrayList<>();
            List<ZooKeeper> clients = new ArrayList<>();
            try {
                for (int id = 1; id <= 3; id++) {
                    AeronReplicationPort port = AeronReplicationPort.create(c.context(id));
                    ports.add(port);
                    servers.add(serve(port));
                }
                for (AeronReplicationPort p : ports) {
                    assertTrue(p.awaitServing(WAIT), "member " + p.nodeId() + " not serving: " + p.stats());
                }
                BlockingQueue<WatchedEvent> events = new ArrayBlockingQueue<>(16);
                for (int i = 0; i < 3; i++) {
                    clients.add(connect(servers.get(i), i == 1 ? events : null));
                }
                ZooKeeper writer = clients.get(0);
                ZooKeeper watcher = clients.get(1);
                ZooKeeper reader = clients.get(2);
                assertNull(watcher.exists("/shared", true));
                writer.create("/shared", "from-1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
                writer.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                WatchedEvent e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(e, "the watch set on member 2 did not fire for a write through member 1");
                assertEquals(Watcher.Event.EventType.NodeCreated, e.getType());
                CompletableFuture<Integer> synced = new CompletableFuture<>();
                reader.sync("/shared", (rc, path, ctx) -> synced.complete(rc), null);
                assertEquals(0, synced.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertArrayEquals("from-1".getBytes(StandardCharsets.UTF_8), reader.getData("/shared", false, null));
                assertNotNull(reader.exists("/eph", false));
                writer.close(); // closeSession through the log: its ephemeral vanishes everywhere
                clients.remove(0);
                TestCluster.await(() -> {
                    try {
                        return reader.exists("/eph", false) == null;
                    } catch (Exception ex) {
                        return false;
                    }
                }, WAIT, () -> "the ephemeral of the closed session is still on member 3");
            } finally {
                for (ZooKeeper z : clients) {
                    z.close();
                }
                for (ZkServer s : servers) {
                    s.close();
                }
            }
        }
    }
}
