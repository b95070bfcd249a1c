package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.Await;
import io.accord.compat.support.EventLog;
import io.accord.compat.support.RawZooKeeper;
import io.accord.compat.support.TcpProxy;

/** Sessions: timeout negotiation, expiry, resumption with id + password, close, restart. */
class SessionTest extends TargetTestBase {

    private static final int SHORT_SESSION_MS = 1500;

    @Override
    protected TargetConfig config() {
        return TargetConfig.fastExpiry();
    }

    @Test
    void negotiatedTimeoutIsClampedIntoTheServersBounds() throws Exception {
        TargetConfig config = config();
        assertEquals(config.minSessionTimeoutMs(), clients.connect(target.connectString(), 100, new EventLog()).getSessionTimeout());
        assertEquals(config.maxSessionTimeoutMs(), clients.connect(target.connectString(), 1_000_000, new EventLog()).getSessionTimeout());
        assertEquals(3000, clients.connect(target.connectString(), 3000, new EventLog()).getSessionTimeout());
    }

    @Test
    void defaultBoundsAreTwoAndTwentyTicks() throws Exception {
        ServerTarget defaults = startTarget(TargetConfig.defaults());
        assertEquals(4000, clients.connect(defaults.connectString(), 1000, new EventLog()).getSessionTimeout());
        assertEquals(40000, clients.connect(defaults.connectString(), 1_000_000, new EventLog()).getSessionTimeout());
        assertEquals(30000, clients.connect(defaults.connectString(), 30000, new EventLog()).getSessionTimeout());
    }

    @Test
    void sessionsHaveDistinctNonZeroIdsAnd16BytePasswords() throws Exception {
        RawZooKeeper a = clients.connect(target.connectString());
        RawZooKeeper b = clients.connect(target.connectString());
        assertNotEquals(0, a.getSessionId());
        assertNotEquals(a.getSessionId(), b.getSessionId());
        assertEquals(16, a.getSessionPasswd().length);
        assertNotEquals(0xFF, a.getSessionId() >>> 56, "top byte 0xFF is the TTL marker");
        assertNotEquals(Long.MIN_VALUE, a.getSessionId(), "the container marker");
    }

    @Test
    void idleSessionIsKeptAliveByPings() throws Exception {
        // Not the 500 ms minimum: on a loaded 2-core CI box (load 12 was seen) a starved client or
        // server thread could miss that deadline. Idle for 1.5 timeouts: without pings the session
        // would expire after one timeout plus at most a tick.
        RawZooKeeper zk = clients.connect(target.connectString(), 3000, new EventLog());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        Thread.sleep(zk.getSessionTimeout() * 3L / 2); // idle time is the thing under test
        assertEquals(zk.getSessionId(), zk.exists(root, false).getEphemeralOwner());
    }

    @Test
    void expiryDeletesEphemeralsAndTheExpiredClientIsToldWhenItReconnects() throws Exception {
        RawZooKeeper observer = clients.connect(target.connectString());
        observer.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        try (TcpProxy proxy = new TcpProxy(target.connectString())) {
            EventLog log = new EventLog();
            RawZooKeeper doomed = clients.connect(proxy.connectString(), SHORT_SESSION_MS, log);
            long session = doomed.getSessionId();
            byte[] password = doomed.getSessionPasswd();
            doomed.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            EventLog observed = new EventLog();
            observer.sync(root); // in an ensemble the observer may be on a server that has not applied it yet
            observer.exists(root + "/eph", observed);
            observer.getChildren(root, observed);

            long cutAt = System.nanoTime();
            proxy.cut();
            WatchedEvent deleted = observed.expect(EventType.NodeDeleted, root + "/eph");
            long expiredAfterMs = (System.nanoTime() - cutAt) / 1_000_000;
            observed.expect(EventType.NodeChildrenChanged, root);
            assertTrue(expiredAfterMs < 5L * SHORT_SESSION_MS, "expired after " + expiredAfterMs + " ms");
            // the last ping went out at most a third of the timeout before the cut
            assertTrue(expiredAfterMs >= SHORT_SESSION_MS / 2, "expired too early: " + expiredAfterMs + " ms");
            assertEquals(deleted.getZxid(), observer.exists(root, false).getPzxid());

            EventLog resumedLog = new EventLog();
            clients.resume(target.connectString(), SHORT_SESSION_MS, resumedLog, session, password);
            resumedLog.awaitState(KeeperState.Expired);

            proxy.resume();
            log.awaitState(KeeperState.Expired);
            assertEquals(ZooKeeper.States.CLOSED, doomed.getState());
        }
    }

    @Test
    void resumingWithIdAndPasswordMovesTheSessionWithItsEphemerals() throws Exception {
        try (TcpProxy proxy = new TcpProxy(target.connectString())) {
            EventLog firstLog = new EventLog();
            RawZooKeeper first = clients.connect(proxy.connectString(), 5000, firstLog);
            first.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Stat eph = new Stat();
            first.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, eph);
            long session = first.getSessionId();

            EventLog secondLog = new EventLog();
            RawZooKeeper second = clients.resume(target.connectString(), 5000, secondLog, session, first.getSessionPasswd());
            secondLog.awaitState(KeeperState.SyncConnected);
            firstLog.awaitState(KeeperState.Disconnected); // the server closed the older connection of the session
            proxy.cut(); // keep the first client from taking the session back
            Await.until("second client connected", () -> second.getState() == ZooKeeper.States.CONNECTED);

            assertEquals(session, second.getSessionId());
            Stat now = Await.value("ephemeral readable", Duration.ofSeconds(20), () -> {
                try {
                    return second.exists(root + "/eph", false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(eph, now);
            assertEquals(session, now.getEphemeralOwner());
            assertEquals(List.of(root + "/eph"), second.getEphemerals(root));
        }
    }

    @Test
    void wrongPasswordIsAnsweredAsExpiredAndDropsTheLiveConnection() throws Exception {
        try (TcpProxy proxy = new TcpProxy(target.connectString())) {
            EventLog liveLog = new EventLog();
            RawZooKeeper live = clients.connect(proxy.connectString(), 5000, liveLog);
            live.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            byte[] wrong = live.getSessionPasswd().clone();
            wrong[0] ^= 1;
            EventLog impostorLog = new EventLog();
            // The same server the live connection is on (the proxy's): a server drops only its own connection.
            String sameServer = target.connectString().split(",")[0];
            clients.resume(sameServer, 5000, impostorLog, live.getSessionId(), wrong);
            impostorLog.awaitState(KeeperState.Expired);
            liveLog.awaitState(KeeperState.Disconnected);
            liveLog.awaitState(KeeperState.SyncConnected);
            assertEquals(live.getSessionId(), live.exists(root, false).getEphemeralOwner(), "the session itself survives");
        }
    }

    @Test
    void closeSessionDeletesEphemeralsAndEndsTheSession() throws Exception {
        RawZooKeeper observer = clients.connect(target.connectString());
        observer.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/seq-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        long session = zk.getSessionId();
        byte[] password = zk.getSessionPasswd();
        zk.close();
        observer.sync(root); // the close was acknowledged by zk's server; the observer's may still be applying it
        assertEquals(List.of(), observer.getChildren(root, false), "the close reply comes after the deletes");
        EventLog log = new EventLog();
        clients.resume(target.connectString(), 5000, log, session, password);
        log.awaitState(KeeperState.Expired);
    }

    @Test
    void restartKeepsDataSessionsAndRisingZxids() throws Exception {
        assumeTrue(target.supports(ServerTarget.Capability.RESTART), "target cannot restart");
        ServerTarget own = startTarget(TargetConfig.defaults());
        EventLog log = new EventLog();
        RawZooKeeper zk = clients.connect(own.connectString(), 30000, log);
        Stat before = new Stat();
        zk.create("/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, before);
        zk.create("/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.getData("/p", true, null);
        own.restart();
        log.awaitState(KeeperState.Disconnected);
        log.awaitState(KeeperState.SyncConnected);
        assertNotNull(zk.exists("/eph", false));
        assertEquals(zk.getSessionId(), zk.exists("/eph", false).getEphemeralOwner());
        Stat after = new Stat();
        zk.create("/q", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, after);
        assertTrue(after.getCzxid() > before.getCzxid(), "zxids keep rising across a restart");
        RawZooKeeper other = clients.connect(own.connectString());
        Stat set = other.setData("/p", null, -1);
        WatchedEvent event = log.expect(EventType.NodeDataChanged, "/p");
        assertEquals(set.getMzxid(), event.getZxid(), "the watch was re-registered after the restart");
        assertNull(log.poll());
    }
}
