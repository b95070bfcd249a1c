package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.EventType;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requirement 9: one write lock per log entry, the listener runs under it, reads never see half an entry. */
class ConcurrencyTest {

    private static Request create(String path) {
        return new Request(0, 0, 0, Zk.IP, new Op.Create(1, path, null, Zk.OPEN, 0, -1));
    }

    @Test
    void listenerSeesTheNewStateAndMayReadReentrantly() {
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        List<Boolean> seen = new ArrayList<>();
        sm.apply(1, 1, new LogEntry(0, 0, List.of(create("/a"))),
                a -> seen.add(sm.readLocked(() -> sm.statOf("/a") != null && sm.lastZxid() == a.zxid())));
        assertEquals(List.of(true), seen);
    }

    @Test
    void aReaderStartedDuringAnEntryWaitsForTheWholeEntry() throws Exception {
        // The reader starts while the first of two requests is being reported, and is held back by the write lock
        // until the entry is done: it must see both nodes.
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        AtomicReference<Thread> reader = new AtomicReference<>();
        AtomicReference<boolean[]> observed = new AtomicReference<>();
        sm.apply(1, 1, new LogEntry(0, 0, List.of(create("/x"), create("/y"))), a -> {
            if (reader.get() == null) {
                Thread t = new Thread(() -> observed.set(sm.readLocked(
                        () -> new boolean[] {sm.statOf("/x") != null, sm.statOf("/y") != null})));
                reader.set(t);
                t.start();
            }
        });
        reader.get().join();
        assertTrue(observed.get()[0] && observed.get()[1], "reader saw half an entry");
    }

    @Test
    void childrenChangedEventsCarryTheParentsAcl() {
        // PROTOCOL.md 6.3 ACL filter: NodeChildrenChanged is filtered by the parent's ACL.
        Zk zk = new Zk().withSession();
        List<Acl> parentAcl = List.of(new Acl(Perms.CREATE | Perms.DELETE, Id.ANYONE));
        List<Acl> childAcl = List.of(new Acl(Perms.READ, new Id("ip", "10.0.0.0/8")));
        zk.op(new Op.Create(1, "/p", null, parentAcl, 0, -1));
        Applied a = zk.op(new Op.Create(1, "/p/c", null, childAcl, 0, -1));
        assertEquals(List.of(new ChangeEvent(EventType.NODE_CREATED, "/p/c", childAcl),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/p", parentAcl)), a.events());
        Applied d = zk.op(new Op.Delete("/p/c", -1));
        assertEquals(List.of(new ChangeEvent(EventType.NODE_DELETED, "/p/c", childAcl),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/p", parentAcl)), d.events());
        assertTrue(zk.sm.permits(a.events().get(0).acl(), List.of(new Id("ip", "10.1.1.1")), Perms.READ));
        assertNull(zk.stat("/p/c"));
        assertNotNull(zk.stat("/p"));
    }
}
