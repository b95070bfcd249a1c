package io.accord.compat;

import static io.accord.compat.support.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.Await;
import io.accord.compat.support.EventLog;
import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawZooKeeper;

/**
 * Containers and TTL nodes are reaped by the server in the background (every
 * {@link TargetConfig#CONTAINER_CHECK_INTERVAL_MS}); tests await the reaping with deadlines and use a
 * node that must be reaped in the same pass as the proof that a kept node was looked at.
 */
class ContainerTtlTest extends TargetTestBase {

    private boolean exists(RawZooKeeper zk, String path) {
        try {
            return zk.exists(path, false) != null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void containerIsDeletedOnceItsLastChildIsGoneWithNormalWatchEvents() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/used", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/never", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/full", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/full/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/used/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.exists(root + "/used", true);
        zk.delete(root + "/used/child", -1);
        zk.getChildren(root, true);
        WatchedEvent deleted = events.expect(EventType.NodeDeleted, root + "/used");
        WatchedEvent children = events.expect(EventType.NodeChildrenChanged, root);
        assertEquals(deleted.getZxid(), children.getZxid());
        assertEquals(deleted.getZxid(), zk.exists(root, false).getPzxid());
        assertTrue(exists(zk, root + "/never"), "a container that never had a child is kept");
        assertTrue(exists(zk, root + "/full"), "a container with children is kept");
        assertEquals(List.of("full", "never"), Keeper.sorted(zk.getChildren(root, false)));
    }

    @Test
    void containerEmptiedBySessionCloseIsReaped() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        RawZooKeeper member = clients.connect(target.connectString());
        member.create(root + "/member", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        member.close();
        Await.until("container " + root + " reaped", () -> !exists(zk, root));
    }

    @Test
    void ttlNodeWithoutChildrenIsDeletedAfterItsTtlSinceLastModification() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long start = System.nanoTime();
        Stat created = new Stat();
        zk.create(root + "/short", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, created, 300);
        zk.create(root + "/parent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 300);
        zk.create(root + "/parent/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/long", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 600_000);
        String seq = zk.create(root + "/seq-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 300);
        assertEquals(root + "/seq-0000000003", seq);
        Await.until("TTL node reaped", Duration.ofSeconds(20), () -> !exists(zk, root + "/short"));
        long reapedAfterMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(reapedAfterMs >= 300, "reaped before its TTL: " + reapedAfterMs + " ms");
        Await.until("sequential TTL node reaped", () -> !exists(zk, seq));
        assertNotNull(zk.exists(root + "/parent", false), "a TTL node with children is kept");
        assertNotNull(zk.exists(root + "/long", false));
        zk.delete(root + "/parent/child", -1);
        Await.until("emptied TTL node reaped", () -> !exists(zk, root + "/parent"));
    }

    @Test
    void setDataRenewsATtlNode() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int ttl = 1000;
        long start = System.nanoTime();
        zk.create(root + "/renewed", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), ttl);
        zk.create(root + "/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), ttl);
        // keep touching one node for twice its TTL; letting time pass is what is tested here
        while ((System.nanoTime() - start) / 1_000_000 < 2L * ttl) {
            zk.setData(root + "/renewed", bytes("t"), -1);
            Thread.sleep(ttl / 10); // touch often: a loaded box may stall a touch for a while
        }
        assertTrue(exists(zk, root + "/renewed"), "renewed by setData");
        Await.until("untouched TTL node reaped", () -> !exists(zk, root + "/plain"));
        Await.until("renewed TTL node reaped once left alone", () -> !exists(zk, root + "/renewed"));
    }
}
