package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.session.SessionInfo;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.EventType;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {
    private static final byte[] PW = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void createSessionIsATransactionWithAZooKeeperStyleId() {
        // PROTOCOL.md 2.3: (serverId << 56) | time bits, then increments; never 0 / MIN_VALUE / top byte 0xFF.
        Zk zk = new Zk();
        zk.origin = 7;
        Applied a = zk.op(new Op.CreateSession(4000, PW));
        Result.SessionCreated c = (Result.SessionCreated) a.result();
        assertEquals(1, a.zxid());
        assertEquals(7, c.sessionId() >>> 56);
        assertEquals(((zk.time << 24) >>> 8) & 0x00FFFFFFFFFFFFFFL, c.sessionId() & 0x00FFFFFFFFFFFFFFL);
        assertEquals(4000, c.timeoutMs());
        SessionInfo info = zk.sm.session(c.sessionId());
        assertEquals(zk.time + 4000, info.deadlineMs());
        assertEquals(7, info.owner());
        zk.origin = 8;
        long second = ((Result.SessionCreated) zk.op(new Op.CreateSession(4000, PW)).result()).sessionId();
        assertEquals((8L << 56) | ((c.sessionId() + 1) & 0x00FFFFFFFFFFFFFFL), second);
        zk.origin = 255;
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.op(new Op.CreateSession(4000, PW)).result().code());
        assertEquals(2, zk.sm.sessionCount());
    }

    @Test
    void writesFromUnknownOrMovedSessionsFail() {
        // Requirement 6: unknown/closed → SESSIONEXPIRED; owner ≠ origin → SESSIONMOVED; origin 0 skips.
        Zk zk = new Zk().withSession();
        zk.origin = 2;
        assertEquals(ErrorCode.SESSION_MOVED, zk.create("/x").code());
        zk.origin = 1;
        long s = zk.session;
        zk.session = s + 99;
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.create("/x").code());
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.code(new Op.SetData("/", null, -1)));
        assertEquals(ErrorCode.OK, zk.request(new Request(0, 0, 0, Zk.IP,
                new Op.Create(1, "/sys", null, Zk.OPEN, 0, -1))).result().code());
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.request(new Request(0, 0, 0, Zk.IP,
                new Op.Create(1, "/sysEph", null, Zk.OPEN, 1, -1))).result().code());
        zk.session = s;
        Result.Multi m = (Result.Multi) zk.request(new Request(3, 1, s, Zk.IP, new Op.Multi(List.of(
                new Op.Create(1, "/y", null, Zk.OPEN, 0, -1))))).result();
        assertEquals(List.of(ErrorCode.SESSION_MOVED), m.results().stream().map(Result::code).toList());
    }

    @Test
    void closeSessionDeletesEphemeralsInOneZxidWithEvents() {
        // PROTOCOL.md 6.7 and 4.3: NodeDeleted + parent NodeChildrenChanged, all at the close zxid.
        Zk zk = new Zk().withSession();
        zk.create("/w");
        zk.create("/w/eph", null, 1);
        zk.create("/w/eph2", null, 3);
        zk.create("/top", null, 1);
        Applied a = zk.op(new Op.CloseSession());
        assertEquals(Result.Done.INSTANCE, a.result());
        assertEquals(zk.sm.lastZxid(), a.zxid());
        assertEquals(List.of(new ChangeEvent(EventType.NODE_DELETED, "/top", Zk.OPEN),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/", Zk.OPEN),
                new ChangeEvent(EventType.NODE_DELETED, "/w/eph", Zk.OPEN),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/w", Zk.OPEN),
                new ChangeEvent(EventType.NODE_DELETED, "/w/eph20000000001", Zk.OPEN),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/w", Zk.OPEN)), a.events());
        assertEquals(a.zxid(), zk.stat("/w").pzxid());
        assertEquals(4, zk.stat("/w").cversion());
        assertEquals(0, zk.sm.ephemeralCount());
        assertNull(zk.sm.session(zk.session));
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.create("/after").code());
        // closing an unknown session is still OK and still a transaction (like ZooKeeper)
        Applied again = zk.op(new Op.CloseSession());
        assertEquals(Result.Done.INSTANCE, again.result());
        assertEquals(a.zxid() + 2, again.zxid());
    }

    @Test
    void closeFromANodeThatLostTheSessionIsRefused() {
        Zk zk = new Zk().withSession();
        zk.origin = 2;
        assertEquals(ErrorCode.SESSION_MOVED, zk.op(new Op.CloseSession()).result().code());
        assertNotNull(zk.sm.session(zk.session));
    }

    @Test
    void reattachChecksPasswordAndMovesOwnership() {
        // PROTOCOL.md 2.2 step 5: alive + password → same session (new owner); otherwise expired.
        Zk zk = new Zk();
        long id = ((Result.SessionCreated) zk.op(new Op.CreateSession(10_000, PW)).result()).sessionId();
        zk.session = id;
        zk.origin = 2;
        zk.time += 5000;
        Applied bad = zk.op(new Op.ReattachSession(6000, new byte[16]));
        assertEquals(ErrorCode.SESSION_EXPIRED, bad.result().code());
        assertEquals(1, zk.sm.session(id).owner());
        long zxid = zk.sm.lastZxid();
        Applied ok = zk.op(new Op.ReattachSession(6000, PW.clone()));
        assertEquals(Result.Done.INSTANCE, ok.result());
        assertEquals(zxid, ok.zxid());
        assertEquals(zxid, zk.sm.lastZxid(), "reattach is not a transaction");
        assertEquals(2, zk.sm.session(id).owner());
        assertEquals(zk.time + 6000, zk.sm.session(id).deadlineMs());
        assertEquals(ErrorCode.OK, zk.create("/moved").code());
        zk.origin = 1;
        assertEquals(ErrorCode.SESSION_MOVED, zk.create("/stale").code());
        zk.session = id + 1;
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.op(new Op.ReattachSession(6000, PW)).result().code());
    }

    @Test
    void tickExpiresSessionsFromLogTimeAndTouchRenews() {
        // PROTOCOL.md 2.4: expiry is a closeSession transaction decided from log time, one zxid per session.
        Zk zk = new Zk();
        long a = zk.newSession(4000);
        long b = zk.newSession(4000);
        zk.session = a;
        zk.create("/ea", null, 1);
        zk.time += 3000;
        zk.op(new Op.Touch(new long[] {b, 424242L}));
        zk.time += 1001;
        int before = zk.applied.size();
        long zxid = zk.sm.lastZxid();
        Applied tick = zk.tick();
        List<Applied> caused = zk.applied.subList(before, zk.applied.size() - 1);
        assertEquals(1, caused.size());
        Applied close = caused.get(0);
        assertEquals(new Request(0, 0, a, List.of(), new Op.CloseSession()), close.request());
        assertEquals(zxid + 1, close.zxid());
        assertEquals(EventType.NODE_DELETED, close.events().get(0).type());
        assertEquals(Result.Done.INSTANCE, tick.result());
        assertEquals(zxid + 1, tick.zxid());
        assertNull(zk.sm.session(a));
        assertNotNull(zk.sm.session(b));
        assertNull(zk.stat("/ea"));
        // deadline is exclusive: deadline == now survives
        zk.time = zk.sm.session(b).deadlineMs();
        zk.tick();
        assertNotNull(zk.sm.session(b));
        zk.time += 1;
        zk.tick();
        assertNull(zk.sm.session(b));
    }

    @Test
    void touchFromANonOwnerIsIgnoredAndResetDeadlinesRenewsAll() {
        Zk zk = new Zk();
        long a = zk.newSession(4000);
        long deadline = zk.sm.session(a).deadlineMs();
        zk.time += 1000;
        zk.origin = 2;
        zk.op(new Op.Touch(new long[] {a}));
        assertEquals(deadline, zk.sm.session(a).deadlineMs());
        zk.time += 10_000;
        zk.request(new Request(0, 0, 0, List.of(), new Op.ResetDeadlines()));
        assertEquals(zk.time + 4000, zk.sm.session(a).deadlineMs());
        zk.tick();
        assertNotNull(zk.sm.session(a));
    }

    @Test
    void sessionIdsAreUniqueAndNeverReserved() {
        Zk zk = new Zk();
        java.util.TreeSet<Long> ids = new java.util.TreeSet<>();
        for (int origin = 0; origin <= 254; origin += 127) {
            zk.origin = origin;
            for (int i = 0; i < 50; i++) {
                long id = zk.newSession(1000);
                assertTrue(ids.add(id));
                assertNotEquals(0, id);
                assertNotEquals(Long.MIN_VALUE, id);
                assertNotEquals(0xFF, id >>> 56);
            }
        }
    }
}
