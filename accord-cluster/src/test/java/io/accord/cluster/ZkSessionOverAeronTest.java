package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.server.ZkServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper sessions across nodes over Aeron, with the real client: a session moves to another member with its
 * ephemeral and watches, and the ephemeral of a session whose member process was killed vanishes everywhere
 * after the session timeout, firing the watches set through another member.
 */
class ZkSessionOverAeronTest {
    private static final Logger LOG = LoggerFactory.getLogger(ZkSessionOverAeronTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Session timeouts from 2 x tickTime = 1 s. */
    private static final int TICK_TIME_MS = 500;
    private static final byte[] NO_DATA = new byte[0];

    static ZkServer serve(AeronReplicationPort port, boolean closePort) {
        return ZkServer.launch(new ZkServer.Context().replicationPort(port).bindAddress("127.0.0.1").port(0)
                .tickTimeMs(TICK_TIME_MS).ioThreads(1).adminEnableServer(false).closePortOnClose(closePort));
    }

    /** Tries the servers in the given order, so the test knows where the client connects first and next. */
    private static final class InOrder implements HostProvider {
        private final List<InetSocketAddress> hosts;
        private int next;

        InOrder(List<InetSocketAddress> hosts) {
            this.hosts = List.copyOf(hosts);
        }

        @Override
        public int size() {
            return hosts.size();
        }

        @Override
        public InetSocketAddress next(long spinDelay) {
            return hosts.get(next++ % hosts.size());
        }

        @Override
        public void onConnected() {
        }

        @Override
        public boolean updateServerList(Collection<InetSocketAddress> serverAddresses,
                                        InetSocketAddress currentHost) {
            return false;
        }
    }

    /** A client and everything its default watcher saw. */
    private static final class Client implements AutoCloseable {
        final BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
        final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        final ZooKeeper zk;

        Client(int sessionTimeoutMs, int... ports) throws Exception {
            List<InetSocketAddress> hosts = new ArrayList<>();
            StringBuilder connect = new StringBuilder();
            for (int p : ports) {
                hosts.add(new InetSocketAddress("127.0.0.1", p));
                connect.append(connect.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
            }
            zk = new ZooKeeper(connect.toString(), sessionTimeoutMs, e -> {
                if (e.getType() == EventType.None) {
                    states.add(e.getState());
                } else {
                    events.add(e);
                }
            }, false, new InOrder(hosts));
            awaitState(KeeperState.SyncConnected);
        }

        void awaitState(KeeperState state) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            KeeperState s;
            do {
                s = states.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(s, "client did not reach " + state + " within " + WAIT);
            } while (s != state);
        }

        /** The next watch event, which must be {@code type} on {@code path}. */
        void expect(EventType type, String path) throws InterruptedException {
            WatchedEvent e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(e, "no " + type + " for " + path + " within " + WAIT);
            assertEquals(type, e.getType(), "event " + e);
            assertEquals(path, e.getPath(), "event " + e);
        }

        @Override
        public void close() throws InterruptedException {
            zk.close(2_000);
        }
    }

    private static void sync(ZooKeeper zk, String path) throws Exception {
        CompletableFuture<Integer> synced = new CompletableFuture<>();
        zk.sync(path, (rc, p, ctx) -> synced.complete(rc), null);
        assertEquals(0, synced.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSessionMovesToAnotherMemberWithItsEphemeralAndWatches() throws Exception {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY)) {
            List<ZkServer> servers = new ArrayList<>();
            AeronReplicationPort port1 = AeronReplicationPort.create(c.context(1));
            List<Client> clients = new ArrayList<>();
            try {
                servers.add(serve(port1, false)); // closing this front end leaves member 1 in the cluster
                servers.add(serve(AeronReplicationPort.create(c.context(2)), true));
                servers.add(serve(AeronReplicationPort.create(c.context(3)), true));
                for (ZkServer s : servers) {
                    assertTrue(((AeronReplicationPort) s.context().replicationPort()).awaitServing(WAIT));
                }
                Client mover = new Client(6_000, servers.get(0).port(), servers.get(1).port());
                clients.add(mover);
                Client other = new Client(6_000, servers.get(2).port());
                clients.add(other);
                long session = mover.zk.getSessionId();
                mover.zk.create("/move", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                mover.zk.create("/move/eph", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                mover.zk.getData("/move", true, null);
                mover.zk.getChildren("/move", true);

                long t0 = System.nanoTime();
                servers.remove(0).close(); // member 1's ZooKeeper front end goes; its connections are cut
                mover.awaitState(KeeperState.Disconnected);
                mover.awaitState(KeeperState.SyncConnected);
                LOG.info("SESSION MOVE: the client reconnected to member 2 {} ms after member 1's front end closed",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertEquals(session, mover.zk.getSessionId(), "the session id changed");
                assertTrue(mover.states.stream().noneMatch(s -> s == KeeperState.Expired), "" + mover.states);

                sync(other.zk, "/move");
                Stat eph = other.zk.exists("/move/eph", false);
                assertNotNull(eph, "the ephemeral vanished when its session moved");
                assertEquals(session, eph.getEphemeralOwner());

                // Watches re-registered on member 2 by setWatches fire for changes made through member 3.
                other.zk.setData("/move", "v".getBytes(StandardCharsets.UTF_8), -1);
                mover.expect(EventType.NodeDataChanged, "/move");
                other.zk.create("/move/c", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                mover.expect(EventType.NodeChildrenChanged, "/move");

                // The moved session writes through member 2, and outlives its 6 s timeout there.
                mover.zk.create("/move/eph2", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                long moved = System.nanoTime();
                TestCluster.await(() -> System.nanoTime() - moved > TimeUnit.SECONDS.toNanos(8), WAIT, () -> "clock");
                sync(other.zk, "/move");
                assertEquals(session, other.zk.exists("/move/eph", false).getEphemeralOwner());
                assertEquals(session, other.zk.exists("/move/eph2", false).getEphemeralOwner());
                assertTrue(mover.states.stream().noneMatch(s -> s == KeeperState.Expired), "" + mover.states);
            } finally {
                for (Client cl : clients) {
                    cl.close();
                }
                for (ZkServer s : servers) {
                    s.close();
                }
                port1.close();
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theEphemeralOfAKilledMembersClientVanishesAfterTheSessionTimeoutAndFiresWatches() throws Exception {
        Path root = Files.createTempDirectory("accord-zk-kill-test");
        int base = TestCluster.freePorts(30);
        List<ZkServer> servers = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        Process child = null;
        try (TestCluster c = TestCluster.at(root, base, 3, StorageMode.MEMORY)) {
            servers.add(serve(AeronReplicationPort.create(c.context(1)), true));
            servers.add(serve(AeronReplicationPort.create(c.context(2)), true));
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(javaBin, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), ZkMemberChild.class.getName(), root.toString(),
                    Integer.toString(base), "3").redirectErrorStream(true).start();
            CompletableFuture<Integer> childPort = new CompletableFuture<>();
            Process p = child;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("ZKPORT ")) {
                            childPort.complete(Integer.parseInt(line.substring(7).trim()));
                        } else if (line.contains("ERROR") || line.startsWith("NOT SERVING")) {
                            LOG.info("[child {}] {}", p.pid(), line);
                        }
                    }
                } catch (java.io.IOException e) {
                    LOG.info("child output ended: {}", e.toString());
                }
                childPort.completeExceptionally(new IllegalStateException("the child ended without serving"));
            }, "zk-child-reader");
            reader.setDaemon(true);
            reader.start();
            for (ZkServer s : servers) {
                assertTrue(((AeronReplicationPort) s.context().replicationPort()).awaitServing(WAIT));
            }
            int port3 = childPort.get(60, TimeUnit.SECONDS);

            Client victim = new Client(2_000, port3); // only member 3: it cannot move
            clients.add(victim);
            Client watcher = new Client(20_000, servers.get(0).port());
            clients.add(watcher);
            Client reader2 = new Client(20_000, servers.get(1).port());
            clients.add(reader2);
            victim.zk.create("/k", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            victim.zk.create("/k/eph", NO_DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            sync(watcher.zk, "/k");
            assertNotNull(watcher.zk.exists("/k/eph", true));
            assertEquals(List.of("eph"), watcher.zk.getChildren("/k", true));

            long killedAt = System.nanoTime();
            child.destroyForcibly(); // kill -9 by PID
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child " + child.pid() + " did not die");
            List<EventType> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                WatchedEvent e = watcher.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(e, "watch events after the kill: only " + seen);
                seen.add(e.getType());
                assertEquals(e.getType() == EventType.NodeDeleted ? "/k/eph" : "/k", e.getPath(), "" + e);
            }
            assertTrue(seen.contains(EventType.NodeDeleted) && seen.contains(EventType.NodeChildrenChanged),
                    "events " + seen);
            long vanished = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            LOG.info("KILLED MEMBER: the ephemeral of its client (session timeout 2000 ms) vanished {} ms after "
                    + "kill -9, watches fired through member 1", vanished);
            assertTrue(vanished >= 500, "the ephemeral vanished " + vanished + " ms after the kill: before the "
                    + "session could have expired");
            sync(reader2.zk, "/k");
            assertNull(reader2.zk.exists("/k/eph", false), "the ephemeral is still on member 2");
            assertEquals(List.of(), reader2.zk.getChildren("/k", false));
        } finally {
            for (Client cl : clients) {
                cl.close();
            }
            for (ZkServer s : servers) {
                s.close();
            }
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            TestCluster.deleteTree(root);
            for (int id = 1; id <= 3; id++) {
                TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-" + id));
            }
        }
    }
}
