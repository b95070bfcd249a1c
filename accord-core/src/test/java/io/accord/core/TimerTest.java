package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accord.core.txn.Applied;
import io.accord.core.txn.EventType;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md 4.6 "Cleanup (ContainerManager)", decided from log time by ticks. */
class TimerTest {

    private static Op.Create container(String path) {
        return new Op.Create(Op.OPCODE_CREATE_CONTAINER, path, null, Zk.OPEN, 4, -1);
    }

    private static Op.Create ttl(String path, long ttl) {
        return new Op.Create(Op.OPCODE_CREATE_TTL, path, null, Zk.OPEN, 5, ttl);
    }

    @Test
    void emptyContainerThatHadAChildIsDeletedByTheSweep() {
        Zk zk = new Zk().withSession();
        zk.tick(); // the first sweep runs at once (lastContainerCheck starts at 0) and sets the check time
        zk.op(container("/c"));
        zk.op(container("/never"));
        zk.create("/c/x");
        zk.op(new Op.Delete("/c/x", -1));
        zk.time += 59_999;
        zk.tick();
        assertNotNull(zk.stat("/c"), "no sweep before the check interval has passed");
        int before = zk.applied.size();
        zk.time += 1;
        long zxid = zk.sm.lastZxid();
        zk.tick();
        assertNull(zk.stat("/c"));
        assertNotNull(zk.stat("/never"), "a container that never had a child is kept (maxNeverUsedIntervalMs 0)");
        Applied del = zk.applied.get(before);
        assertEquals(new Request(0, 0, 0, List.of(), new Op.DeleteContainer("/c")), del.request());
        assertEquals(zxid + 1, del.zxid());
        assertEquals(List.of(EventType.NODE_DELETED, EventType.NODE_CHILDREN_CHANGED),
                del.events().stream().map(e -> e.type()).toList());
    }

    @Test
    void sweepRunsOnlyEveryCheckInterval() {
        Zk zk = new Zk(CoreConfig.defaults().withContainerCheckIntervalMs(10_000)).withSession();
        zk.tick();
        zk.op(container("/c"));
        zk.create("/c/x");
        zk.op(new Op.Delete("/c/x", -1));
        zk.time += 9_999;
        zk.tick();
        assertNotNull(zk.stat("/c"));
        zk.time += 1;
        zk.tick();
        assertNull(zk.stat("/c"));
    }

    @Test
    void neverUsedContainersGoAfterMaxNeverUsedInterval() {
        CoreConfig cfg = new CoreConfig(CoreConfig.DEFAULT_MAX_DATA_BYTES, true, false, 1000, 10_000, 5000);
        Zk zk = new Zk(cfg).withSession();
        zk.op(container("/idle"));
        zk.time += 5000;
        zk.tick();
        assertNotNull(zk.stat("/idle"), "elapsed must exceed the interval");
        zk.time += 1000;
        zk.tick();
        assertNull(zk.stat("/idle"));
    }

    @Test
    void ttlNodesExpireFromMtimeWhenChildless() {
        // PROTOCOL.md 4.6: deleted when no children and now − mtime > ttl; setData renews; children keep it.
        Zk zk = new Zk(CoreConfig.defaults().withContainerCheckIntervalMs(1000)).withSession();
        zk.op(ttl("/t", 5000));
        zk.op(ttl("/parent", 5000));
        zk.create("/parent/kid");
        zk.time += 4000;
        zk.op(new Op.SetData("/t", null, -1));
        zk.time += 4000;
        zk.tick();
        assertNotNull(zk.stat("/t"), "setData renewed the ttl");
        zk.time += 1001;
        zk.tick();
        assertNull(zk.stat("/t"));
        assertNotNull(zk.stat("/parent"), "a TTL node with children is never deleted");
        zk.op(new Op.Delete("/parent/kid", -1));
        zk.time += 1000;
        zk.tick();
        assertNull(zk.stat("/parent"));
    }

    @Test
    void sweepIsRateLimited() {
        // at most maxPerMinute · interval / 60000 deletions per sweep (here 120 · 1000 / 60000 = 2)
        CoreConfig cfg = new CoreConfig(CoreConfig.DEFAULT_MAX_DATA_BYTES, true, false, 1000, 120, 0);
        Zk zk = new Zk(cfg).withSession();
        for (int i = 0; i < 5; i++) {
            zk.op(ttl("/t" + i, 10));
        }
        zk.time += 1000;
        zk.tick();
        assertEquals(3, ((Result.Count) zk.sm.getAllChildrenNumber("/", Zk.IP)).count() - 3);
        assertNull(zk.stat("/t0"));
        assertNull(zk.stat("/t1"));
        assertNotNull(zk.stat("/t2"));
        zk.time += 1000;
        zk.tick();
        zk.time += 1000;
        zk.tick();
        assertNull(zk.stat("/t4"));
    }
}
