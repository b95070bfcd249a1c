package io.accord.compat;

import static io.accord.compat.support.Keeper.bytes;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeChildrenChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeCreated;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.EventLog;
import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawZooKeeper;
import io.accord.compat.support.TcpProxy;

/**
 * Watches: which calls set which watch, which writes fire which events (type, path, zxid), one-shot vs
 * persistent, removal, ordering against replies, and catch-up after a reconnect.
 *
 * <p>"No event fired" is never asserted by waiting: events of one connection arrive in zxid order, so a
 * later write that fires a known watch proves that nothing was fired before it ({@link #assertQuietUntil}).
 */
class WatchTest extends TargetTestBase {

    private EventLog events;
    private RawZooKeeper zk;
    private RawZooKeeper other;

    private void connect() throws Exception {
        events = new EventLog();
        zk = clients.connect(target.connectString(), events);
        other = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/probe", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    /**
     * Sets a watch on the probe node, changes it from another session and checks that the probe's event
     * is the next one on {@code log}: nothing else was delivered to it before.
     */
    private void assertQuietUntil(EventLog log, RawZooKeeper watcher) throws Exception {
        watcher.getData(root + "/probe", log, null);
        Stat stat = other.setData(root + "/probe", null, -1);
        WatchedEvent next = log.next();
        assertEquals(NodeDataChanged + " " + root + "/probe", EventLog.describe(next), "expected no event before the probe's");
        assertEquals(stat.getMzxid(), next.getZxid());
    }

    private void expect(EventLog log, org.apache.zookeeper.Watcher.Event.EventType type, String path, long zxid) {
        WatchedEvent event = log.expect(type, path);
        assertEquals(zxid, event.getZxid(), "zxid of " + type + " " + path);
    }

    @Test
    void dataWatchFromGetDataFiresOnceOnSetDataAndDelete() throws Exception {
        connect();
        zk.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.getData(root + "/n", true, null);
        Stat s1 = other.setData(root + "/n", bytes("1"), -1);
        expect(events, NodeDataChanged, root + "/n", s1.getMzxid());
        other.setData(root + "/n", bytes("2"), -1);
        assertQuietUntil(events, zk);

        zk.getData(root + "/n", true, null);
        other.delete(root + "/n", -1);
        WatchedEvent deleted = events.expect(NodeDeleted, root + "/n");
        assertEquals(zk.exists(root, false).getPzxid(), deleted.getZxid());
    }

    @Test
    void existsWatchIsSetOnMissingNodesAndFiresNodeCreated() throws Exception {
        connect();
        assertNull(zk.exists(root + "/n", true));
        Stat created = new Stat();
        other.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        expect(events, NodeCreated, root + "/n", created.getCzxid());
        zk.exists(root + "/n", true);
        Stat set = other.setData(root + "/n", null, -1);
        expect(events, NodeDataChanged, root + "/n", set.getMzxid());
    }

    @Test
    void getDataAndGetChildrenOnMissingNodesSetNoWatch() throws Exception {
        connect();
        Keeper.assertCode(Code.NONODE, () -> zk.getData(root + "/n", true, null));
        Keeper.assertCode(Code.NONODE, () -> zk.getChildren(root + "/n", true));
        other.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.create(root + "/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertQuietUntil(events, zk);
    }

    @Test
    void childWatchFiresOnChildCreateAndDeleteButNotOnChildData() throws Exception {
        connect();
        zk.getChildren(root, true);
        Stat c = new Stat();
        other.create(root + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, c);
        expect(events, NodeChildrenChanged, root, c.getCzxid());
        zk.getChildren(root, true);
        other.setData(root + "/c", bytes("x"), -1);
        other.create(root + "/c/grandchild", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.delete(root + "/c/grandchild", -1);
        other.delete(root + "/c", -1);
        expect(events, NodeChildrenChanged, root, zk.exists(root, false).getPzxid());

        zk.getChildren(root + "/probe", true);
        other.delete(root + "/probe", -1);
        events.expect(NodeDeleted, root + "/probe");
    }

    @Test
    void deleteFiresOneEventForADataAndAChildWatchOnTheSameNode() throws Exception {
        connect();
        zk.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/probe2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventLog dataWatcher = new EventLog();
        EventLog childWatcher = new EventLog();
        zk.getData(root + "/n", dataWatcher, null);
        zk.getChildren(root + "/n", childWatcher);
        zk.exists(root + "/n", true);
        zk.getChildren(root, true);
        other.delete(root + "/n", -1);
        dataWatcher.expect(NodeDeleted, root + "/n");
        childWatcher.expect(NodeDeleted, root + "/n");
        events.expect(NodeDeleted, root + "/n");
        events.expect(NodeChildrenChanged, root);
        assertQuietUntil(events, zk);
        assertNull(dataWatcher.poll());
        assertNull(childWatcher.poll());
    }

    @Test
    void persistentWatchGetsEveryEventTypeForItsExactPathUntilRemoved() throws Exception {
        connect();
        EventLog persistent = new EventLog();
        zk.addWatch(root + "/n", persistent, AddWatchMode.PERSISTENT);
        Stat created = new Stat();
        other.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        expect(persistent, NodeCreated, root + "/n", created.getCzxid());
        Stat set1 = other.setData(root + "/n", null, -1);
        expect(persistent, NodeDataChanged, root + "/n", set1.getMzxid());
        Stat set2 = other.setData(root + "/n", null, -1);
        expect(persistent, NodeDataChanged, root + "/n", set2.getMzxid());
        Stat child = new Stat();
        other.create(root + "/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, child);
        expect(persistent, NodeChildrenChanged, root + "/n", child.getCzxid());
        other.create(root + "/n/c/g", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.setData(root + "/n/c", null, -1);
        other.delete(root + "/n/c/g", -1);
        other.delete(root + "/n/c", -1);
        persistent.expect(NodeChildrenChanged, root + "/n");
        other.delete(root + "/n", -1);
        persistent.expect(NodeDeleted, root + "/n");
        Stat again = new Stat();
        other.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, again);
        expect(persistent, NodeCreated, root + "/n", again.getCzxid());

        zk.removeWatches(root + "/n", persistent, WatcherType.Persistent, false);
        persistent.expect(org.apache.zookeeper.Watcher.Event.EventType.PersistentWatchRemoved, root + "/n");
        other.setData(root + "/n", null, -1);
        assertQuietUntil(persistent, zk);
    }

    @Test
    void recursiveWatchReportsDescendantPathsAndNeverChildrenChanged() throws Exception {
        connect();
        EventLog recursive = new EventLog();
        zk.addWatch(root + "/r", recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        other.create(root + "/r", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.create(root + "/r/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.create(root + "/r/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.setData(root + "/r/a/b", null, -1);
        other.setData(root + "/r", null, -1);
        other.create(root + "/rx", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.delete(root + "/r/a/b", -1);
        other.delete(root + "/r/a", -1);
        List<String> expected = List.of(NodeCreated + " " + root + "/r", NodeCreated + " " + root + "/r/a",
            NodeCreated + " " + root + "/r/a/b", NodeDataChanged + " " + root + "/r/a/b", NodeDataChanged + " " + root + "/r",
            NodeDeleted + " " + root + "/r/a/b", NodeDeleted + " " + root + "/r/a");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            got.add(EventLog.describe(recursive.next()));
        }
        assertEquals(expected, got, "a sibling with the same prefix (" + root + "/rx) is not a descendant");
        zk.removeAllWatches(root + "/r", WatcherType.PersistentRecursive, false);
        recursive.expect(org.apache.zookeeper.Watcher.Event.EventType.PersistentWatchRemoved, root + "/r");
        other.create(root + "/r/z", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertQuietUntil(recursive, zk);
    }

    @Test
    void oneEventPerConnectionPerChangeWhateverTheNumberOfWatches() throws Exception {
        connect();
        zk.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventLog persistent = new EventLog();
        EventLog recursive = new EventLog();
        EventLog oneShot = new EventLog();
        zk.addWatch(root + "/n", persistent, AddWatchMode.PERSISTENT);
        zk.addWatch(root, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.addWatch(root + "/n", recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.getData(root + "/n", oneShot, null);
        zk.exists(root + "/n", oneShot);
        zk.getData(root + "/n", true, null);
        Stat s1 = other.setData(root + "/n", bytes("1"), -1);
        Stat s2 = other.setData(root + "/n", bytes("2"), -1);
        // a second event for the first change would show up between these two
        expect(persistent, NodeDataChanged, root + "/n", s1.getMzxid());
        expect(persistent, NodeDataChanged, root + "/n", s2.getMzxid());
        expect(recursive, NodeDataChanged, root + "/n", s1.getMzxid());
        expect(recursive, NodeDataChanged, root + "/n", s2.getMzxid());
        expect(oneShot, NodeDataChanged, root + "/n", s1.getMzxid());
        expect(events, NodeDataChanged, root + "/n", s1.getMzxid());
        assertQuietUntil(oneShot, zk);
    }

    @Test
    void eventArrivesBeforeAnyReplyShowingTheNewState() throws Exception {
        connect();
        zk.create(root + "/n", bytes("0"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        // Own write: the event is queued before the setData reply (both run on the client's event thread).
        CountDownLatch done = new CountDownLatch(2);
        zk.getData(root + "/n", e -> order.add("event " + e.getType()), null);
        zk.setData(root + "/n", bytes("1"), -1, (rc, path, ctx, stat) -> {
            order.add("setData reply rc=" + rc);
            done.countDown();
        }, null);
        // Someone else's write, then our read: the read must not overtake the event.
        zk.getData(root + "/n", e -> order.add("event2 " + e.getType()), null);
        other.setData(root + "/n", bytes("2"), -1);
        // In an ensemble `other` may be on another server, and reads are only sequentially consistent: sync
        // first (as a client must) so the read shows the new state, which the event must then precede.
        zk.sync(root + "/n", (rc, path, ctx) -> { }, null);
        zk.getData(root + "/n", false, (rc, path, ctx, data, stat) -> {
            order.add("getData reply " + new String(data));
            done.countDown();
        }, null);
        done.await(20, TimeUnit.SECONDS);
        assertEquals(List.of("event NodeDataChanged", "setData reply rc=0", "event2 NodeDataChanged", "getData reply 2"), order);
    }

    @Test
    void closingASessionDeletesItsEphemeralsAndNotifiesOtherSessions() throws Exception {
        connect();
        RawZooKeeper owner = clients.connect(target.connectString());
        owner.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        owner.create(root + "/eph2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.exists(root + "/eph", true);
        zk.getChildren(root, true);
        Stat before = zk.exists(root, false);
        owner.close();
        // The close deletes the session's ephemerals in no particular order (ZooKeeper: hash-set order),
        // so the two events may come either way round, but both at the close's zxid.
        WatchedEvent first = events.next();
        WatchedEvent second = events.next();
        assertEquals(Set.of(NodeDeleted + " " + root + "/eph", NodeChildrenChanged + " " + root),
            Set.of(EventLog.describe(first), EventLog.describe(second)));
        assertEquals(first.getZxid(), second.getZxid(), "one close transaction");
        Stat after = zk.exists(root, false);
        assertEquals(before.getCversion() + 2, after.getCversion());
        assertEquals(first.getZxid(), after.getPzxid());
        assertEquals(List.of("probe"), zk.getChildren(root, false));
    }

    @Test
    void checkAndRemoveWatchesAnswerNoWatcherWhenThereIsNone() throws Exception {
        connect();
        zk.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String n = root + "/n";
        assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Any.getIntValue()), null).getErr());
        zk.getChildren(n, true);
        assertEquals(0, zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Children.getIntValue()), null).getErr());
        assertEquals(0, zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Any.getIntValue()), null).getErr());
        assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Data.getIntValue()), null).getErr());
        assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.removeWatches, new RemoveWatchesRequest(n, WatcherType.Data.getIntValue()), null).getErr());
        assertEquals(0, zk.submit(OpCode.removeWatches, new RemoveWatchesRequest(n, WatcherType.Children.getIntValue()), null).getErr());
        assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Children.getIntValue()), null).getErr());
        zk.exists(n, true);
        assertEquals(0, zk.submit(OpCode.checkWatches, new CheckWatchesRequest(n, WatcherType.Data.getIntValue()), null).getErr(),
            "an exists watch is a data watch");
        assertEquals(0, zk.submit(OpCode.removeWatches, new RemoveWatchesRequest(n, WatcherType.Any.getIntValue()), null).getErr());
        other.create(n + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        other.setData(n, null, -1);
        assertQuietUntil(events, zk);
    }

    @Test
    void removeAllWatchesThroughTheClientStopsServerEvents() throws Exception {
        connect();
        zk.create(root + "/n", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventLog data = new EventLog();
        zk.getData(root + "/n", data, null);
        zk.getChildren(root + "/n", data);
        zk.removeAllWatches(root + "/n", WatcherType.Data, false);
        data.expect(org.apache.zookeeper.Watcher.Event.EventType.DataWatchRemoved, root + "/n");
        Keeper.assertCode(Code.NOWATCHER, () -> zk.removeAllWatches(root + "/n", WatcherType.Data, false));
        other.setData(root + "/n", null, -1);
        other.create(root + "/n/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        data.expect(NodeChildrenChanged, root + "/n");
        assertQuietUntil(data, zk);
    }

    @Test
    void addWatchAnswersWithAnEmptyErrorResponseAndRejectsUnknownModes() throws Exception {
        connect();
        assertEquals(0, zk.submit(OpCode.addWatch, new AddWatchRequest(root + "/missing/anywhere", 0), new ErrorResponse()).getErr(),
            "addWatch needs no node");
        assertEquals(Code.MARSHALLINGERROR.intValue(),
            zk.submit(OpCode.addWatch, new AddWatchRequest(root, 2), new ErrorResponse()).getErr());
    }

    @Test
    void eventsAreOnlySentToConnectionsThatMayReadTheNode() throws Exception {
        connect();
        EventLog recursive = new EventLog();
        zk.addWatch(root, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
        RawZooKeeper owner = clients.connect(target.connectString());
        owner.addAuthInfo("digest", bytes("user1:pw1"));
        owner.create(root + "/locked", null, new ArrayList<>(List.of(new ACL(Perms.ALL, new org.apache.zookeeper.data.Id("digest",
            TargetConfig.digestId("user1", "pw1"))))), CreateMode.PERSISTENT);
        owner.setData(root + "/locked", bytes("x"), -1);
        Stat open = new Stat();
        owner.create(root + "/locked/open", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, open);
        WatchedEvent next = recursive.next();
        assertEquals(NodeCreated + " " + root + "/locked/open", EventLog.describe(next),
            "no NodeCreated or NodeDataChanged for a node the watcher may not read");
        assertEquals(open.getCzxid(), next.getZxid());
    }

    @Test
    void childEventsAreFilteredByTheParentsAcl() throws Exception {
        connect();
        zk.create(root + "/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventLog children = new EventLog();
        other.sync(root + "/p"); // in an ensemble the other session may be on a server that has not applied it yet
        other.getChildren(root + "/p", children); // the other session watches while it may still read
        zk.setACL(root + "/p", new ArrayList<>(List.of(new ACL(Perms.CREATE | Perms.ADMIN, Ids.ANYONE_ID_UNSAFE))), -1);
        zk.create(root + "/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertQuietUntil(children, other);
    }

    @Test
    void reconnectingClientCatchesUpThroughSetWatches() throws Exception {
        connect();
        try (TcpProxy proxy = new TcpProxy(target.connectString())) {
            EventLog log = new EventLog();
            RawZooKeeper cutOff = clients.connect(proxy.connectString(), log);
            for (String n : List.of("data", "deleted", "children", "unchanged", "persistent")) {
                other.create(root + "/" + n, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            cutOff.getData(root + "/data", true, null);
            cutOff.getData(root + "/deleted", true, null);
            assertNull(cutOff.exists(root + "/created", true));
            cutOff.getChildren(root + "/children", true);
            cutOff.getData(root + "/unchanged", true, null);
            EventLog persistent = new EventLog();
            cutOff.addWatch(root + "/persistent", persistent, AddWatchMode.PERSISTENT);

            proxy.cut();
            log.awaitState(KeeperState.Disconnected);
            other.setData(root + "/data", bytes("x"), -1);
            other.delete(root + "/deleted", -1);
            other.create(root + "/created", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            other.create(root + "/children/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            other.setData(root + "/persistent", bytes("missed"), -1);
            proxy.resume();
            log.awaitState(KeeperState.SyncConnected);

            Set<String> caughtUp = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                WatchedEvent e = log.next();
                assertEquals(WatchedEvent.NO_ZXID, e.getZxid(), "events fired by setWatches carry zxid -1: " + e);
                caughtUp.add(EventLog.describe(e));
            }
            assertEquals(Set.of(NodeDataChanged + " " + root + "/data", NodeDeleted + " " + root + "/deleted",
                NodeCreated + " " + root + "/created", NodeChildrenChanged + " " + root + "/children"), caughtUp);

            // the unchanged one-shot watch and the persistent watch were re-registered, without catch-up
            Stat unchanged = other.setData(root + "/unchanged", null, -1);
            expect(log, NodeDataChanged, root + "/unchanged", unchanged.getMzxid());
            Stat p = other.setData(root + "/persistent", null, -1);
            WatchedEvent first = persistent.next();
            assertEquals(NodeDataChanged + " " + root + "/persistent", EventLog.describe(first));
            assertEquals(p.getMzxid(), first.getZxid(), "a persistent watch gets no catch-up event for the missed change");
        }
    }
}
