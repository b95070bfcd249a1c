package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.ExistsResponse;
import io.accord.zk.proto.WatcherEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes over one log: sessions move between nodes, events reach watchers on every node. */
class SessionMoveTest {
    private SharedLog log;
    private ZkServer node1;
    private ZkServer node2;

    @BeforeEach
    void start() {
        log = new SharedLog(1000);
        node1 = ZkServer.launch(new ZkServer.Context().replicationPort(log.node(1)).bindAddress("127.0.0.1").port(0)
                .tickTimeMs(2000).ioThreads(1));
        node2 = ZkServer.launch(new ZkServer.Context().replicationPort(log.node(2)).bindAddress("127.0.0.1").port(0)
                .tickTimeMs(2000).ioThreads(1));
    }

    @AfterEach
    void stop() {
        node1.close();
        node2.close();
        log.close();
    }

    @Test
    void reconnectToAnotherNodeMovesTheSessionAndClosesTheOldConnection() throws Exception {
        try (RawClient on1 = new RawClient(node1.port()); RawClient on2 = new RawClient(node2.port())) {
            ConnectResponse session = on1.connect(RawClient.newSession(true));
            on1.send(RawClient.request(1, 1, new CreateRequest("/moving", null, Acl.OPEN_ACL_UNSAFE, 1)));
            assertEquals(0, on1.readFrame().header().err());
            assertEquals(1, log.replica().session(session.sessionId()).owner());
            ConnectResponse moved = on2.connect(new ConnectRequest(0, 0, 30_000, session.sessionId(),
                    session.passwd(), false, true));
            assertEquals(session.sessionId(), moved.sessionId());
            assertArrayEquals(session.passwd(), moved.passwd());
            assertTrue(on1.closedByServer(), "the old node closes the stale connection");
            assertEquals(2, log.replica().session(session.sessionId()).owner());
            on2.send(RawClient.request(2, 3, new ExistsRequest("/moving", false)));
            RawClient.Frame exists = on2.readFrame();
            assertEquals(session.sessionId(), ExistsResponse.read(exists.input()).stat().ephemeralOwner());
        }
    }

    @Test
    void staleConnectionIsClosedAndNeverToldSessionMoved() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (RawClient on1 = new RawClient(node1.port())) {
                ConnectResponse session = on1.connect(RawClient.newSession(true));
                // node 2 takes the session over through the log while node 1's client keeps writing
                log.node(2).submit(new io.accord.core.txn.Request(2, 0, session.sessionId(), java.util.List.of(),
                        new io.accord.core.txn.Op.ReattachSession(30_000, session.passwd())));
                on1.send(RawClient.request(1, 1, new CreateRequest("/stale" + round, null, Acl.OPEN_ACL_UNSAFE, 0)));
                RawClient.Frame frame = on1.readFrame();
                if (frame != null) {
                    assertEquals(0, frame.header().err(), "applied before the move, or nothing at all");
                    assertTrue(on1.closedByServer());
                }
            }
        }
    }

    @Test
    void wrongPasswordOnAnotherNodeDoesNotTouchTheLiveConnection() throws Exception {
        try (RawClient on1 = new RawClient(node1.port()); RawClient on2 = new RawClient(node2.port())) {
            ConnectResponse session = on1.connect(RawClient.newSession(true));
            ConnectResponse refused = on2.connect(new ConnectRequest(0, 0, 30_000, session.sessionId(), new byte[16],
                    false, true));
            assertEquals(0, refused.timeOut());
            on1.send(RawClient.request(1, 3, new ExistsRequest("/", false)));
            assertEquals(0, on1.readFrame().header().err());
            assertFalse(on1.socket.isClosed());
        }
    }

    @Test
    void writeOnOneNodeFiresAWatchOnTheOther() throws Exception {
        try (RawClient on1 = new RawClient(node1.port()); RawClient on2 = new RawClient(node2.port())) {
            on1.connect(RawClient.newSession(true));
            on2.connect(RawClient.newSession(true));
            on2.send(RawClient.request(1, 3, new ExistsRequest("/across", true)));
            assertEquals(-101, on2.readFrame().header().err());
            on1.send(RawClient.request(1, 1, new CreateRequest("/across", null, Acl.OPEN_ACL_UNSAFE, 0)));
            RawClient.Frame created = on1.readFrame();
            RawClient.Frame event = on2.readFrame();
            assertEquals(-1, event.header().xid());
            assertEquals(created.header().zxid(), event.header().zxid());
            assertEquals(new WatcherEvent(1, 3, "/across"), WatcherEvent.read(event.input()));
        }
    }
}
