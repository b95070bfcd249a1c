package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.SetWatches;
import io.accord.zk.proto.SetWatches2;
import io.accord.zk.proto.WatcherEvent;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.CreateRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Watch registration, matching, delivery and catch-up (PROTOCOL.md 6) with the real client. */
class WatchTest {
    private static final long WAIT_MS = 10_000;
    /** How long to wait to be sure that nothing else arrives: a sentinel write is used where possible. */
    private static TestServer server;
    private final Clients.Recorder watcherEvents = new Clients.Recorder();
    private ZooKeeper watcher;
    private ZooKeeper writer;
    private String root;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect(TestInfo info) throws Exception {
        watcher = Clients.connect(server, watcherEvents);
        writer = Clients.connect(server, new Clients.Recorder());
        root = "/" + info.getTestMethod().orElseThrow().getName();
        writer.create(root, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @AfterEach
    void close() throws Exception {
        watcher.close();
        writer.close();
    }

    private void create(String path) throws Exception {
        writer.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private WatchedEvent next() throws InterruptedException {
        WatchedEvent e = watcherEvents.nextNodeEvent(WAIT_MS);
        assertNotNull(e, "expected an event within " + WAIT_MS + " ms");
        return e;
    }

    private static String show(WatchedEvent e) {
        return e.getType() + " " + e.getPath();
    }

    /**
     * Proves that no further event is queued: a sentinel change that this connection watches arrives next (all
     * events of one connection are delivered in order).
     */
    private void assertNoMoreEventsBefore(String sentinelPath) throws Exception {
        watcher.exists(sentinelPath, true);
        create(sentinelPath);
        assertEquals("NodeCreated " + sentinelPath, show(next()));
    }

    @Test
    void oneShotDataWatchFiresOnceWithTheWritesZxid() throws Exception {
        create(root + "/d");
        watcher.getData(root + "/d", true, null);
        org.apache.zookeeper.data.Stat stat = writer.setData(root + "/d", new byte[] {1}, -1);
        WatchedEvent e = next();
        assertEquals("NodeDataChanged " + root + "/d", show(e));
        assertEquals(stat.getMzxid(), e.getZxid());
        writer.setData(root + "/d", new byte[] {2}, -1);
        assertNoMoreEventsBefore(root + "/sentinel");
    }

    @Test
    void existsWatchOnAMissingNodeFiresOnCreateAndDeleteFiresDataAndChildWatchesOnce() throws Exception {
        assertNull(watcher.exists(root + "/x", true));
        create(root + "/x");
        assertEquals("NodeCreated " + root + "/x", show(next()));
        watcher.getData(root + "/x", true, null);
        watcher.getChildren(root + "/x", true);
        watcher.exists(root + "/x", true);
        writer.delete(root + "/x", -1);
        assertEquals("NodeDeleted " + root + "/x", show(next()));
        assertNoMoreEventsBefore(root + "/sentinel");
    }

    @Test
    void childWatchFiresOnChildCreateAndDeleteButNotOnChildData() throws Exception {
        watcher.getChildren(root, true);
        create(root + "/c");
        assertEquals("NodeChildrenChanged " + root, show(next()));
        watcher.getChildren(root, true);
        writer.setData(root + "/c", new byte[] {1}, -1);
        writer.delete(root + "/c", -1);
        assertEquals("NodeChildrenChanged " + root, show(next()));
    }

    @Test
    void removedWatchesNoLongerFire() throws Exception {
        create(root + "/r");
        org.apache.zookeeper.Watcher w = watcherEvents;
        watcher.getData(root + "/r", w, null);
        watcher.getChildren(root + "/r", w);
        watcher.addWatch(root + "/r", w, AddWatchMode.PERSISTENT);
        watcher.removeAllWatches(root + "/r", org.apache.zookeeper.Watcher.WatcherType.Any, false);
        writer.setData(root + "/r", new byte[] {1}, -1);
        create(root + "/r/child");
        assertNoMoreEventsBefore(root + "/sentinel");
    }

    @Test
    void getDataOnAMissingNodeSetsNoWatch() throws Exception {
        assertThrows(KeeperException.NoNodeException.class, () -> watcher.getData(root + "/none", true, null));
        create(root + "/none");
        assertNoMoreEventsBefore(root + "/sentinel");
    }

    @Test
    void persistentWatchGetsAllFourTypesForTheExactPathOnly() throws Exception {
        watcher.addWatch(root, AddWatchMode.PERSISTENT);
        create(root + "/a");
        assertEquals("NodeChildrenChanged " + root, show(next()));
        create(root + "/a/grandchild");
        writer.setData(root, new byte[] {1}, -1);
        assertEquals("NodeDataChanged " + root, show(next()));
        writer.setData(root, new byte[] {2}, -1);
        assertEquals("NodeDataChanged " + root, show(next()), "persistent: still there after firing");
    }

    @Test
    void recursiveWatchReportsTheChangedDescendantAndNeverChildrenChanged() throws Exception {
        watcher.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE);
        create(root + "/a");
        assertEquals("NodeCreated " + root + "/a", show(next()));
        create(root + "/a/b");
        assertEquals("NodeCreated " + root + "/a/b", show(next()));
        writer.setData(root + "/a/b", new byte[] {1}, -1);
        assertEquals("NodeDataChanged " + root + "/a/b", show(next()));
        writer.delete(root + "/a/b", -1);
        assertEquals("NodeDeleted " + root + "/a/b", show(next()));
        writer.setData(root, null, -1);
        assertEquals("NodeDataChanged " + root, show(next()));
    }

    @Test
    void severalWatchesOnOneConnectionGiveOneEventPerChange() throws Exception {
        create(root + "/n");
        watcher.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE);
        watcher.addWatch(root + "/n", AddWatchMode.PERSISTENT);
        watcher.getData(root + "/n", true, null);
        watcher.exists(root + "/n", true);
        writer.setData(root + "/n", new byte[] {1}, -1);
        assertEquals("NodeDataChanged " + root + "/n", show(next()));
        assertNoMoreEventsBefore(root + "/n/sentinel");
    }

    @Test
    void eventsAreFilteredByReadPermission() throws Exception {
        ACL noRead = new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.READ, new Id("world", "anyone"));
        writer.create(root + "/locked", null, new ArrayList<>(List.of(noRead)), CreateMode.PERSISTENT);
        watcher.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE);
        writer.setData(root + "/locked", new byte[] {1}, -1);
        writer.create(root + "/locked/open", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals("NodeCreated " + root + "/locked/open", show(next()), "no DataChanged for the unreadable node");
    }

    @Test
    void successfulMultiFiresEveryOpsEventsAndAFailedOneNone() throws Exception {
        watcher.addWatch(root, AddWatchMode.PERSISTENT);
        watcher.exists(root + "/m", true);
        KeeperException failed = assertThrows(KeeperException.class, () -> writer.multi(List.of(
                Op.create(root + "/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.check(root, 99))));
        assertEquals(KeeperException.Code.BADVERSION, failed.code());
        writer.multi(List.of(Op.create(root + "/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData(root, new byte[] {1}, -1)));
        WatchedEvent created = next();
        assertEquals("NodeCreated " + root + "/m", show(created));
        WatchedEvent children = next();
        assertEquals("NodeChildrenChanged " + root, show(children));
        WatchedEvent data = next();
        assertEquals("NodeDataChanged " + root, show(data));
        assertEquals(created.getZxid(), data.getZxid(), "one multi, one zxid");
    }

    @Test
    void ephemeralsOfAClosedSessionFireForOtherSessions() throws Exception {
        ZooKeeper owner = Clients.connect(server, new Clients.Recorder());
        owner.create(root + "/eph", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        watcher.exists(root + "/eph", true);
        watcher.getChildren(root, true);
        owner.close();
        Set<String> seen = new HashSet<>(List.of(show(next()), show(next())));
        assertEquals(Set.of("NodeDeleted " + root + "/eph", "NodeChildrenChanged " + root), seen);
    }

    @Test
    void watchesOfAClosedConnectionAreDropped() throws Exception {
        ZooKeeper other = Clients.connect(server, new Clients.Recorder());
        other.exists(root + "/gone", true);
        other.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE);
        other.close();
        String wchc = server.server.fourLetterWord("wchc");
        assertTrue(!wchc.contains(root), wchc);
    }

    @Test
    void setWatchesCatchesUpByRelativeZxidWithZxidMinusOne() throws Exception {
        create(root + "/changed");
        create(root + "/same");
        create(root + "/kids");
        long before = writer.exists(root + "/same", false).getMzxid();
        writer.setData(root + "/changed", new byte[] {1}, -1);
        create(root + "/kids/k");
        create(root + "/born");
        try (RawClient raw = new RawClient(server.port())) {
            raw.connect(RawClient.newSession(true));
            raw.send(RawClient.request(1, 101, new SetWatches(before,
                    List.of(root + "/changed", root + "/same", root + "/deleted"),
                    List.of(root + "/born", root + "/unborn"),
                    List.of(root + "/kids", root + "/same"))));
            List<WatcherEvent> events = new ArrayList<>();
            RawClient.Frame frame;
            while ((frame = raw.readFrame()).header().xid() == -1) {
                assertEquals(-1, frame.header().zxid());
                events.add(WatcherEvent.read(frame.input()));
            }
            assertEquals(1, frame.header().xid(), "the setWatches reply follows its events");
            assertEquals(List.of(new WatcherEvent(3, 3, root + "/changed"), new WatcherEvent(2, 3, root + "/deleted"),
                    new WatcherEvent(1, 3, root + "/born"), new WatcherEvent(4, 3, root + "/kids")), events);
            // the unchanged ones were re-registered
            writer.setData(root + "/same", new byte[] {1}, -1);
            RawClient.Frame event = raw.readFrame();
            assertEquals(new WatcherEvent(3, 3, root + "/same"), WatcherEvent.read(event.input()));
            create(root + "/unborn");
            assertEquals(new WatcherEvent(1, 3, root + "/unborn"), WatcherEvent.read(raw.readFrame().input()));
            create(root + "/same/kid");
            assertEquals(new WatcherEvent(4, 3, root + "/same"), WatcherEvent.read(raw.readFrame().input()));
        }
    }

    @Test
    void setWatches2RegistersPersistentWatchesSilently() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.connect(RawClient.newSession(true));
            raw.send(RawClient.request(1, 105, new SetWatches2(0, List.of(), List.of(), List.of(),
                    List.of(root), List.of(root + "/deep"))));
            assertEquals(1, raw.readFrame().header().xid(), "no catch-up events for persistent watches");
            create(root + "/deep");
            assertEquals(new WatcherEvent(1, 3, root + "/deep"), WatcherEvent.read(raw.readFrame().input()));
            assertEquals(new WatcherEvent(4, 3, root), WatcherEvent.read(raw.readFrame().input()));
            create(root + "/deep/er");
            assertEquals(new WatcherEvent(1, 3, root + "/deep/er"), WatcherEvent.read(raw.readFrame().input()));
        }
    }

    @Test
    void realClientReRegistersItsWatchesAfterAReconnect() throws Exception {
        create(root + "/w");
        watcher.getData(root + "/w", true, null);
        watcher.addWatch(root + "/p", AddWatchMode.PERSISTENT);
        // a reconnect attempt with a wrong password kills the watcher's live connection; the client reconnects
        try (RawClient raw = new RawClient(server.port())) {
            byte[] wrong = new byte[16];
            ConnectResponse r = raw.connect(new ConnectRequest(0, 0, 30_000, watcher.getSessionId(), wrong, false,
                    true));
            assertEquals(0, r.timeOut());
        }
        assertNotNull(watcherEvents.nextState(KeeperState.Disconnected, WAIT_MS));
        assertNotNull(watcherEvents.nextState(KeeperState.SyncConnected, WAIT_MS));
        writer.setData(root + "/w", new byte[] {1}, -1);
        assertEquals("NodeDataChanged " + root + "/w", show(next()));
        create(root + "/p");
        assertEquals("NodeCreated " + root + "/p", show(next()));
    }

    @Test
    void eventArrivesBeforeTheReplyThatShowsTheChange() throws Exception {
        // The client runs watch callbacks and async reply callbacks on one thread in wire order, so when a read's
        // callback sees the new value, the event for that change must already have been delivered.
        create(root + "/seq");
        for (int i = 0; i < 50; i++) {
            watcher.getData(root + "/seq", true, null);
            String value = Integer.toString(i);
            writer.setData(root + "/seq", value.getBytes(StandardCharsets.UTF_8), -1);
            boolean sawNewValue = false;
            while (!sawNewValue) {
                java.util.concurrent.CompletableFuture<Boolean> eventDelivered =
                        new java.util.concurrent.CompletableFuture<>();
                java.util.concurrent.CompletableFuture<String> read = new java.util.concurrent.CompletableFuture<>();
                watcher.getData(root + "/seq", false, (rc, path, ctx, data, stat) -> {
                    eventDelivered.complete(watcherEvents.events.stream()
                            .anyMatch(e -> e.getType() == EventType.NodeDataChanged));
                    read.complete(new String(data, StandardCharsets.UTF_8));
                }, null);
                sawNewValue = read.get(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS).equals(value);
                if (sawNewValue) {
                    assertTrue(eventDelivered.get(), "round " + i + ": a reply showed the change before its event");
                }
            }
            assertEquals("NodeDataChanged " + root + "/seq", show(next()));
        }
    }

    @Test
    void rawSetWatchesWithNullListsIsAccepted() throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.connect(RawClient.newSession(true));
            raw.send(RawClient.request(1, 101, new SetWatches(0, null, null, null)),
                    RawClient.request(2, 3, new ExistsRequest("/", false)),
                    RawClient.request(3, 1, new CreateRequest(root + "/raw", null, Acl.OPEN_ACL_UNSAFE, 0)));
            assertEquals(1, raw.readFrame().header().xid());
            assertEquals(2, raw.readFrame().header().xid());
            assertEquals(3, raw.readFrame().header().xid());
        }
    }
}
