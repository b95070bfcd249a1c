package io.accord.core.txn;

import io.accord.core.session.Session;
import java.util.Arrays;
import java.util.List;

/**
 * Session requests and the replicated timer (PROTOCOL.md 2.2–2.4, 4.6): createSession, reattach, close, touch,
 * tick (expiry, then the container/TTL sweep) and resetDeadlines. Deadlines are log time + timeout.
 *
 * <p>Threading: apply thread only, under the replica's write lock.
 */
final class SessionOps {
    private final ReplicaState st;
    private final Executor executor;

    SessionOps(ReplicaState st, Executor executor) {
        this.st = st;
        this.executor = executor;
    }

    void apply(Request r, Op op, long timeMs, ApplyListener listener) {
        if (op instanceof Op.CreateSession c) {
            createSession(r, c, timeMs, listener);
        } else if (op instanceof Op.ReattachSession a) {
            reattach(r, a, timeMs, listener);
        } else if (op instanceof Op.CloseSession) {
            close(r, timeMs, listener);
        } else if (op instanceof Op.Touch t) {
            touch(r, t, timeMs);
            executor.done(r, listener);
        } else if (op instanceof Op.Tick) {
            tick(timeMs, listener);
            executor.done(r, listener);
        } else if (op instanceof Op.ResetDeadlines) {
            for (Session s : st.sessions.all()) {
                s.touch(timeMs);
                tracked(s.id());
            }
            executor.done(r, listener);
        } else {
            listener.onApplied(new Applied(st.lastZxid, r, Results.error(ErrorCode.MARSHALLING_ERROR), List.of()));
        }
    }

    private void tracked(long sessionId) {
        if (st.tracker != null) {
            st.tracker.session(sessionId);
        }
    }

    private void createSession(Request r, Op.CreateSession c, long timeMs, ApplyListener listener) {
        long zxid = st.nextZxid();
        int origin = r.origin();
        if (c.password() == null || c.timeoutMs() <= 0 || origin < 0 || origin > 254) {
            listener.onApplied(new Applied(zxid, r, Results.error(ErrorCode.BAD_ARGUMENTS), List.of()));
            return;
        }
        long id = st.sessions.nextSessionId(origin, timeMs);
        Session s = new Session(id, c.timeoutMs(), c.password(), origin, timeMs + c.timeoutMs());
        st.sessions.put(s);
        tracked(id);
        listener.onApplied(new Applied(zxid, r, new Result.SessionCreated(id, c.timeoutMs(), c.password().clone()),
                List.of()));
    }

    private void reattach(Request r, Op.ReattachSession a, long timeMs, ApplyListener listener) {
        Session s = st.sessions.get(r.sessionId());
        Result res;
        if (s != null && a.password() != null && Arrays.equals(s.password(), a.password())) {
            s.reattach(r.origin(), a.timeoutMs(), timeMs);
            tracked(s.id());
            res = Result.Done.INSTANCE;
        } else {
            res = Results.error(ErrorCode.SESSION_EXPIRED);
        }
        listener.onApplied(new Applied(st.lastZxid, r, res, List.of()));
    }

    // Closing an unknown session is OK (as ZooKeeper); a close from a node that no longer owns it is SESSIONMOVED.
    private void close(Request r, long timeMs, ApplyListener listener) {
        Session s = st.sessions.get(r.sessionId());
        if (s != null && r.origin() != 0 && s.owner() != r.origin()) {
            long zxid = st.nextZxid();
            listener.onApplied(new Applied(zxid, r, Results.error(ErrorCode.SESSION_MOVED), List.of()));
            return;
        }
        executor.closeSession(r, s, timeMs, listener);
    }

    private void touch(Request r, Op.Touch t, long timeMs) {
        long[] ids = t.sessionIds();
        if (ids == null) {
            return;
        }
        for (long id : ids) {
            Session s = st.sessions.get(id);
            if (s != null && (r.origin() == 0 || s.owner() == r.origin())) {
                s.touch(timeMs);
                tracked(id);
            }
        }
    }

    private void tick(long timeMs, ApplyListener listener) {
        for (Session s : st.sessions.expired(timeMs)) {
            Request close = new Request(0, 0, s.id(), List.of(), new Op.CloseSession());
            executor.closeSession(close, s, timeMs, listener);
        }
        if (timeMs - st.lastContainerCheck >= st.config.containerCheckIntervalMs()) {
            st.lastContainerCheck = timeMs;
            executor.sweep(timeMs, listener);
        }
    }
}
