package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accord.core.txn.Applied;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requirement 7: resends are skipped per origin, replays by log position. */
class DedupeTest {

    private static Request create(int origin, String path) {
        return new Request(origin, 1, 0, Zk.IP, new Op.Create(1, path, null, Zk.OPEN, 0, -1));
    }

    @Test
    void entriesAtOrBelowTheAppliedPositionAreIgnored() {
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        List<Applied> out = new ArrayList<>();
        sm.apply(10, 1, new LogEntry(0, 0, List.of(create(0, "/a"))), out::add);
        sm.apply(10, 1, new LogEntry(0, 0, List.of(create(0, "/b"))), out::add);
        sm.apply(9, 1, new LogEntry(0, 0, List.of(create(0, "/c"))), out::add);
        assertEquals(1, out.size());
        assertEquals(10, sm.appliedPosition());
        assertNull(sm.statOf("/b"));
        assertNull(sm.statOf("/c"));
    }

    @Test
    void resendsFromAnOriginAreSkippedWholeButOriginZeroNeverIs() {
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        List<Applied> out = new ArrayList<>();
        long digest0 = sm.digest();
        sm.apply(1, 1, new LogEntry(5, 7, List.of()), out::add);
        sm.apply(2, 1, new LogEntry(5, 7, List.of(new Request(5, 1, 0, Zk.IP, new Op.Sync("/")))), out::add);
        sm.apply(3, 1, new LogEntry(5, 6, List.of(new Request(5, 1, 0, Zk.IP, new Op.Sync("/")))), out::add);
        assertEquals(0, out.size());
        sm.apply(4, 1, new LogEntry(5, 8, List.of(new Request(5, 1, 0, Zk.IP, new Op.Sync("/")),
                new Request(5, 2, 0, Zk.IP, new Op.Sync("/")))), out::add);
        assertEquals(2, out.size());
        sm.apply(5, 1, new LogEntry(0, 0, List.of(create(0, "/x"))), out::add);
        sm.apply(6, 1, new LogEntry(0, 0, List.of(create(0, "/y"))), out::add);
        assertEquals(4, out.size());
        assertEquals(6, sm.appliedPosition());
        assertEquals(2, sm.lastZxid());
        assertEquals(false, digest0 == sm.digest());
    }

    @Test
    void badInputNeverThrows() {
        // Requirement 12: malformed requests become error results.
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        List<Applied> out = new ArrayList<>();
        List<Request> reqs = new ArrayList<>();
        reqs.add(null);
        reqs.add(new Request(0, 0, 0, null, null));
        reqs.add(new Request(0, 0, 0, null, new Op.Create(1, null, null, null, 0, -1)));
        reqs.add(new Request(0, 0, 0, null, new Op.Delete(null, -1)));
        reqs.add(new Request(0, 0, 0, null, new Op.SetData(null, null, -1)));
        reqs.add(new Request(0, 0, 0, null, new Op.SetAcl(null, null, -1)));
        reqs.add(new Request(0, 0, 0, null, new Op.DeleteContainer(null)));
        reqs.add(new Request(0, 0, 0, null, new Op.Touch(null)));
        reqs.add(new Request(0, 0, 0, null, new Op.CreateSession(-1, null)));
        reqs.add(new Request(0, 0, 0, null, new Op.ReattachSession(0, null)));
        reqs.add(new Request(0, 0, 0, null, new Op.Multi(List.of(new Op.Check(null, 0)))));
        reqs.add(new Request(0, 0, 0, null, new Op.Create(1, "/x", null, Zk.OPEN, 0, -1)));
        sm.apply(1, 1, new LogEntry(0, 0, reqs), out::add);
        sm.apply(2, 1, null, out::add);
        sm.apply(3, 1, new LogEntry(0, 0, null), out::add);
        assertEquals(reqs.size() - 1, out.size());
        assertEquals(0, out.get(out.size() - 1).result().code());
    }
}
