package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.accord.core.txn.Applied;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test driver: feeds one-request log entries to a {@link StateMachine} and records every {@link Applied}. */
final class Zk {
    static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));
    static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

    final StateMachine sm;
    final List<Applied> applied = new ArrayList<>();
    long position;
    long time = 1_700_000_000_000L;
    int origin = 1;
    long sequence;
    long session;
    List<Id> ids = IP;

    Zk() {
        this(CoreConfig.defaults());
    }

    Zk(CoreConfig config) {
        this(new StateMachine(config));
    }

    Zk(StateMachine sm) {
        this.sm = sm;
    }

    /** Creates a session through origin {@link #origin} and makes it the current one. */
    Zk withSession() {
        session = newSession(30_000);
        return this;
    }

    long newSession(int timeoutMs) {
        Result r = op(new Op.CreateSession(timeoutMs, new byte[16])).result();
        return ((Result.SessionCreated) r).sessionId();
    }

    /** Applies one entry holding one request of the current session/ids; returns that request's Applied. */
    Applied op(Op op) {
        return request(new Request(origin, ++sequence, session, ids, op));
    }

    Applied request(Request r) {
        int before = applied.size();
        sm.apply(++position, time, new LogEntry(r.origin(), r.origin() == 0 ? 0 : ++sequence, List.of(r)),
                applied::add);
        List<Applied> mine = applied.subList(before, applied.size());
        return mine.get(mine.size() - 1);
    }

    Applied tick() {
        return request(new Request(0, 0, 0, List.of(), new Op.Tick()));
    }

    Result create(String path, byte[] data, int flags) {
        return op(new Op.Create(Op.OPCODE_CREATE2, path, data, OPEN, flags, -1)).result();
    }

    Result create(String path) {
        return create(path, bytes("x"), 0);
    }

    int code(Op op) {
        return op(op).result().code();
    }

    Stat stat(String path) {
        return sm.statOf(path);
    }

    String createdPath(Result r) {
        assertEquals(0, r.code(), () -> "create failed: " + r);
        return ((Result.Created) r).path();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
