package io.accord.core.txn;

import io.accord.core.session.Session;
import io.accord.core.tree.Node;
import io.accord.core.tree.PathRules;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Applies requests to a {@link ReplicaState} and reports each outcome as an {@link Applied}: zxid assignment,
 * dispatch to {@link WriteOps}, multi (validated against an {@link Overlay} first), sessions, and the replicated
 * timer (expiry, container and TTL sweeps). Never throws for bad input: malformed requests become error results.
 *
 * <p>Threading: apply thread only, under the replica's write lock.
 */
public final class Executor {
    private final ReplicaState st;
    private final WriteOps ops;
    private final TreeTarget tree;
    private final SessionOps sessionOps;

    public Executor(ReplicaState st) {
        this.st = st;
        this.ops = new WriteOps(st);
        this.tree = new TreeTarget(st);
        this.sessionOps = new SessionOps(st, this);
    }

    /** Applies one request at log time {@code timeMs}; the listener hears about it (and anything it caused). */
    public void apply(Request r, long timeMs, ApplyListener listener) {
        Op op = r.op();
        if (op instanceof Op.Create || op instanceof Op.Delete || op instanceof Op.SetData
                || op instanceof Op.SetAcl || op instanceof Op.DeleteContainer) {
            write(r, op, timeMs, listener);
        } else if (op instanceof Op.Multi m) {
            long zxid = st.nextZxid();
            tree.begin(zxid, timeMs);
            Result res = multi(r, m);
            listener.onApplied(new Applied(zxid, r, res, res instanceof Result.Multi mr && !mr.failed()
                    ? tree.events() : List.of()));
        } else if (op instanceof Op.Sync) {
            done(r, listener);
        } else if (op instanceof Op.Check) {
            // Standalone check: UNIMPLEMENTED since 3.9.3 (PROTOCOL.md 3.1); not a transaction.
            listener.onApplied(new Applied(st.lastZxid, r, Results.error(ErrorCode.UNIMPLEMENTED), List.of()));
        } else if (op == null) {
            listener.onApplied(new Applied(st.lastZxid, r, Results.error(ErrorCode.MARSHALLING_ERROR), List.of()));
        } else {
            sessionOps.apply(r, op, timeMs, listener);
        }
    }

    private void write(Request r, Op op, long timeMs, ApplyListener listener) {
        long zxid = st.nextZxid();
        tree.begin(zxid, timeMs);
        Result res = ops.tooLarge(op) ? Results.error(ErrorCode.MARSHALLING_ERROR) : ops.run(r, op, tree);
        listener.onApplied(new Applied(zxid, r, res, res.code() == ErrorCode.OK ? tree.events() : List.of()));
    }

    void done(Request r, ApplyListener listener) {
        listener.onApplied(new Applied(st.lastZxid, r, Result.Done.INSTANCE, List.of()));
    }

    // PROTOCOL.md 5: only create*/delete/setData/check; validate everything against the overlay, then apply.
    private Result multi(Request r, Op.Multi m) {
        List<Op> list = m.ops();
        if (list == null) {
            return Results.error(ErrorCode.MARSHALLING_ERROR);
        }
        for (Op op : list) {
            boolean allowed = op instanceof Op.Create || op instanceof Op.Delete || op instanceof Op.SetData
                    || op instanceof Op.Check;
            if (!allowed || ops.tooLarge(op)) {
                return Results.error(ErrorCode.MARSHALLING_ERROR);
            }
        }
        Overlay overlay = new Overlay(st);
        for (int i = 0; i < list.size(); i++) {
            Result res = ops.run(r, list.get(i), overlay);
            if (res.code() != ErrorCode.OK) {
                List<Result> failed = new ArrayList<>(list.size());
                for (int j = 0; j < list.size(); j++) {
                    int code = j < i ? ErrorCode.OK : j == i ? res.code() : ErrorCode.RUNTIME_INCONSISTENCY;
                    failed.add(Results.error(code));
                }
                return new Result.Multi(failed, true);
            }
        }
        List<Result> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Result res = ops.run(r, list.get(i), tree);
            if (res.code() != ErrorCode.OK) {
                throw new IllegalStateException("multi op " + i + " failed after validation: " + res);
            }
            results.add(res);
        }
        return new Result.Multi(results, false);
    }

    /**
     * Closes a session as one transaction: deletes its ephemerals (sorted by path) under one new zxid, with
     * NodeDeleted + parent NodeChildrenChanged for each, and forgets the session.
     */
    void closeSession(Request r, Session s, long timeMs, ApplyListener listener) {
        long zxid = st.nextZxid();
        tree.begin(zxid, timeMs);
        if (s != null) {
            for (String path : new ArrayList<>(st.sessions.ephemeralsOf(s.id()))) {
                Node n = st.tree.find(path);
                if (n == null) {
                    throw new IllegalStateException("ephemeral index names a missing node: " + path);
                }
                String parentPath = PathRules.parentOf(path);
                tree.delete(n.parent(), parentPath, n, path);
            }
            st.sessions.remove(s.id());
            if (st.tracker != null) {
                st.tracker.session(s.id());
            }
        }
        listener.onApplied(new Applied(zxid, r, Result.Done.INSTANCE, tree.events()));
    }

    /**
     * The container/TTL sweep of ZooKeeper's ContainerManager, decided from log time: empty containers that had
     * a child (or were never used for longer than maxNeverUsedIntervalMs) and empty TTL nodes whose mtime is
     * older than their ttl, in path order, at most {@code maxPerMinute · interval / 60000} (at least 1) per sweep,
     * each a deleteContainer transaction.
     */
    void sweep(long timeMs, ApplyListener listener) {
        TreeSet<String> candidates = new TreeSet<>();
        long neverUsed = st.config.maxNeverUsedIntervalMs();
        for (String path : st.containers) {
            Node n = st.tree.find(path);
            if (n != null && n.numChildren() == 0
                    && (n.childCounter() > 0 || neverUsed != 0 && timeMs - n.mtime() > neverUsed)) {
                candidates.add(path);
            }
        }
        for (String path : st.ttls) {
            Node n = st.tree.find(path);
            if (n != null && n.numChildren() == 0) {
                long ttl = io.accord.core.tree.EphemeralType.ttlOf(n.ephemeralOwner());
                if (ttl != 0 && timeMs - n.mtime() > ttl) {
                    candidates.add(path);
                }
            }
        }
        long limit = Math.max(1,
                (long) st.config.containerMaxPerMinute() * st.config.containerCheckIntervalMs() / 60_000);
        long count = 0;
        for (String path : candidates) {
            if (count++ >= limit) {
                break;
            }
            Request r = new Request(0, 0, 0, List.of(), new Op.DeleteContainer(path));
            write(r, r.op(), timeMs, listener);
        }
    }
}
