package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.acl.Acl;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ExistsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Session lifecycle over real sockets: expiry, liveness, resume, limits (PROTOCOL.md 2). */
class SessionTest {

    private static void awaitTrue(String what, long timeoutMs, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeoutMs + " ms");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void silentSessionExpiresItsEphemeralsVanishAndItsConnectionCloses() throws Exception {
        try (TestServer server = TestServer.start(CoreConfig.defaults(), 100, c -> c);
             RawClient silent = new RawClient(server.port())) {
            ConnectResponse session = silent.connect(new ConnectRequest(0, 0, 400, 0, new byte[16], false, true));
            assertEquals(400, session.timeOut());
            silent.send(RawClient.request(1, 1, new CreateRequest("/eph", null, Acl.OPEN_ACL_UNSAFE, 1)));
            assertEquals(0, silent.readFrame().header().err());
            assertNotNull(server.replica.statOf("/eph"));
            // no more traffic: the server expires the session and closes the connection, no notification first
            assertNull(silent.readPayload(), "closed without any frame");
            assertNull(server.replica.statOf("/eph"));
            assertNull(server.replica.session(session.sessionId()));
            try (RawClient again = new RawClient(server.port())) {
                ConnectResponse expired = again.connect(new ConnectRequest(0, 0, 400, session.sessionId(),
                        session.passwd(), false, true));
                assertEquals(0, expired.timeOut());
                assertEquals(0, expired.sessionId());
            }
        }
    }

    @Test
    void pingingSessionOutlivesItsTimeoutBecauseTouchesAreBatchedIntoTheLog() throws Exception {
        try (TestServer server = TestServer.start(CoreConfig.defaults(), 100, c -> c)) {
            Clients.Recorder recorder = new Clients.Recorder();
            ZooKeeper zk = Clients.connect(server.connectString(), 400, recorder);
            try {
                zk.create("/alive", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                long sessionId = zk.getSessionId();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
                while (System.nanoTime() < until) {
                    assertNotNull(server.replica.session(sessionId), "session expired although the client pings");
                    Thread.sleep(50);
                }
                assertNotNull(zk.exists("/alive", false));
            } finally {
                zk.close();
            }
        }
    }

    @Test
    void realClientWithAWrongPasswordIsToldItsSessionExpired() throws Exception {
        try (TestServer server = TestServer.start()) {
            ZooKeeper first = Clients.connect(server, new Clients.Recorder());
            try {
                Clients.Recorder recorder = new Clients.Recorder();
                ZooKeeper impostor = new ZooKeeper(server.connectString(), 30_000, recorder, first.getSessionId(),
                        new byte[16]);
                try {
                    assertNotNull(recorder.nextState(KeeperState.Expired, 20_000));
                } finally {
                    impostor.close();
                }
            } finally {
                first.close();
            }
        }
    }

    @Test
    void realClientResumesItsSessionOnANewConnectionAndKeepsItsEphemerals() throws Exception {
        try (TestServer server = TestServer.start()) {
            ZooKeeper first = Clients.connect(server, new Clients.Recorder());
            first.create("/mine", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            Clients.Recorder recorder = new Clients.Recorder();
            ZooKeeper resumed = new ZooKeeper(server.connectString(), 30_000, recorder, first.getSessionId(),
                    first.getSessionPasswd());
            try {
                assertTrue(recorder.connected.await(20, TimeUnit.SECONDS));
                assertEquals(first.getSessionId(), resumed.getSessionId());
                assertArrayEquals(first.getSessionPasswd(), resumed.getSessionPasswd());
                assertEquals(first.getSessionId(), resumed.exists("/mine", false).getEphemeralOwner());
            } finally {
                resumed.close();
            }
            awaitTrue("ephemeral removed after close", 10_000, () -> server.replica.statOf("/mine") == null);
        }
    }

    @Test
    void connectionsBeyondMaxClientCnxnsPerAddressAreClosed() throws Exception {
        try (TestServer server = TestServer.start(c -> c.maxClientCnxns(2))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    RawClient c = new RawClient(server.port());
                    clients.add(c);
                    assertNotNull(c.connect(RawClient.newSession(true)));
                }
                try (RawClient third = new RawClient(server.port())) {
                    assertTrue(third.closedByServer());
                }
                clients.remove(0).close();
                awaitTrue("a slot frees up", 10_000, () -> {
                    try (RawClient again = new RawClient(server.port())) {
                        return again.connect(RawClient.newSession(true)) != null;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void connectionWithoutAHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (TestServer server = TestServer.start(c -> c.handshakeTimeoutMs(300));
             RawClient silent = new RawClient(server.port());
             RawClient partial = new RawClient(server.port())) {
            partial.send(new byte[] {0, 0, 0, 45, 0, 0});
            long start = System.nanoTime();
            assertNull(silent.readPayload());
            assertNull(partial.readPayload());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            try (RawClient prompt = new RawClient(server.port())) {
                assertNotNull(prompt.connect(RawClient.newSession(true)));
                prompt.send(RawClient.request(1, 3, new ExistsRequest("/", false)));
                assertEquals(0, prompt.readFrame().header().err());
            }
        }
    }

    @Test
    void secondConnectionOfASessionClosesTheFirst() throws Exception {
        try (TestServer server = TestServer.start();
             RawClient first = new RawClient(server.port());
             RawClient second = new RawClient(server.port())) {
            ConnectResponse session = first.connect(RawClient.newSession(true));
            ConnectResponse resumed = second.connect(new ConnectRequest(0, 0, 30_000, session.sessionId(),
                    session.passwd(), false, true));
            assertEquals(session.sessionId(), resumed.sessionId());
            assertTrue(first.closedByServer());
            second.send(RawClient.request(1, 3, new ExistsRequest("/", false)));
            assertEquals(0, second.readFrame().header().err());
        }
    }
}
