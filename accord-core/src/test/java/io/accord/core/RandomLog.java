package io.accord.core;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.session.SessionInfo;
import io.accord.core.txn.Applied;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a long seeded random log mixing every op (creates in all modes, deletes, setData, setACL, multis that
 * fail and succeed, sessions, touches, ticks, resets, resends), choosing targets by looking at a driver replica.
 */
final class RandomLog {
    record Step(long position, long time, LogEntry entry) {
    }

    private static final String[] NAMES = {"a", "b", "c", "d", "s-"};
    private static final List<Id> USER = List.of(new Id("ip", "10.0.0.7"),
            new Id("digest", "u:GMJqCvSAmNfv41XqBotWHO0HsNc="));
    private static final List<List<Acl>> ACLS = List.of(Acl.OPEN_ACL_UNSAFE, Acl.READ_ACL_UNSAFE,
            List.of(new Acl(Perms.ALL, new Id("auth", ""))), List.of(new Acl(Perms.ALL, new Id("ip", "10.0.0.0/8"))),
            List.of(new Acl(Perms.CREATE | Perms.READ, Id.ANYONE), new Acl(Perms.ALL, new Id("ip", "10.0.0.7"))));

    private final Random rnd;
    private final StateMachine driver;
    private final List<Long> sessions = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private int maxNodes;
    private final long[] sequences = new long[4];
    private long position;
    private long time = 1_000_000;
    private LogEntry lastEntry;

    RandomLog(long seed, CoreConfig config) {
        this.rnd = new Random(seed);
        this.driver = new StateMachine(config);
    }

    List<Step> generate(int entries) {
        List<Step> steps = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            time += rnd.nextInt(400);
            LogEntry e = nextEntry();
            Step s = new Step(++position, time, e);
            driver.apply(s.position(), s.time(), e, this::observe);
            maxNodes = Math.max(maxNodes, driver.nodeCount());
            steps.add(s);
        }
        return steps;
    }

    private void observe(Applied a) {
        if (a.result() instanceof Result.SessionCreated c) {
            sessions.add(c.sessionId());
        } else if (a.result() instanceof Result.Created c) {
            created.add(c.path());
        } else if (a.result() instanceof Result.Multi m && !m.failed()) {
            for (Result r : m.results()) {
                if (r instanceof Result.Created c) {
                    created.add(c.path());
                }
            }
        }
    }

    private LogEntry nextEntry() {
        int kind = rnd.nextInt(100);
        if (kind < 2 && lastEntry != null && lastEntry.origin() != 0) {
            return lastEntry; // a resend: must be skipped everywhere
        }
        if (kind < 8) {
            return new LogEntry(0, 0, List.of(new Request(0, 0, 0, List.of(), new Op.Tick())));
        }
        if (kind < 9) {
            return new LogEntry(0, 0, List.of(new Request(0, 0, 0, List.of(), new Op.ResetDeadlines())));
        }
        int origin = 1 + rnd.nextInt(3);
        int n = 1 + rnd.nextInt(3);
        List<Request> reqs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reqs.add(request(origin));
        }
        lastEntry = new LogEntry(origin, ++sequences[origin], reqs);
        return lastEntry;
    }

    private Request request(int origin) {
        long session = pickSession();
        SessionInfo info = session == 0 ? null : driver.session(session);
        int reqOrigin = info != null && rnd.nextInt(10) > 0 ? info.owner() : origin;
        List<Id> ids = rnd.nextInt(4) == 0 ? List.of(Id.SUPER) : USER;
        int k = rnd.nextInt(100);
        Op op;
        if (k < 6) {
            op = new Op.CreateSession(3000 + rnd.nextInt(30000), new byte[] {(byte) rnd.nextInt(3)});
        } else if (k < 8) {
            op = new Op.CloseSession();
        } else if (k < 12) {
            op = new Op.Touch(new long[] {pickSession(), pickSession()});
        } else if (k < 14) {
            op = new Op.ReattachSession(2000, new byte[] {(byte) rnd.nextInt(3)});
        } else if (k < 24) {
            op = multi();
        } else {
            op = write();
        }
        return new Request(reqOrigin, rnd.nextInt(1000), session, ids, op);
    }

    private long pickSession() {
        if (sessions.isEmpty() || rnd.nextInt(20) == 0) {
            return rnd.nextInt(3);
        }
        return sessions.get(rnd.nextInt(sessions.size()));
    }

    private String path() {
        if (!created.isEmpty() && rnd.nextInt(3) == 0) {
            return created.get(rnd.nextInt(created.size()));
        }
        StringBuilder sb = new StringBuilder();
        int depth = 1 + rnd.nextInt(3);
        for (int i = 0; i < depth; i++) {
            sb.append('/').append(NAMES[rnd.nextInt(NAMES.length)]);
        }
        return sb.toString();
    }

    private byte[] data() {
        int k = rnd.nextInt(10);
        return k == 0 ? null : new byte[] {(byte) k, (byte) rnd.nextInt(256)};
    }

    private Op write() {
        int k = rnd.nextInt(100);
        if (k < 50) {
            int opcode = new int[] {1, 15, 19, 21}[rnd.nextInt(4)];
            int flags = rnd.nextInt(4) == 0 ? rnd.nextInt(8) : new int[] {0, 0, 1, 2, 3}[rnd.nextInt(5)];
            long ttl = opcode == 21 ? (rnd.nextInt(5) == 0 ? -1 : 1 + rnd.nextInt(3000)) : -1;
            return new Op.Create(opcode, path(), data(), ACLS.get(rnd.nextInt(ACLS.size())), flags, ttl);
        } else if (k < 62) {
            return new Op.Delete(path(), rnd.nextInt(4) - 1);
        } else if (k < 85) {
            return new Op.SetData(path(), data(), rnd.nextInt(4) - 1);
        } else if (k < 93) {
            return new Op.SetAcl(path(), ACLS.get(rnd.nextInt(ACLS.size())), rnd.nextInt(3) - 1);
        } else if (k < 97) {
            return new Op.DeleteContainer(path());
        }
        return new Op.Check(path(), -1);
    }

    private Op multi() {
        int n = rnd.nextInt(5);
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Op op = write();
            if (op instanceof Op.SetAcl || op instanceof Op.DeleteContainer) {
                op = new Op.Check(path(), rnd.nextInt(2) - 1);
            }
            ops.add(op);
        }
        if (rnd.nextInt(30) == 0) {
            ops.add(new Op.Sync("/"));
        }
        return new Op.Multi(ops);
    }

    int maxNodes() {
        return maxNodes;
    }

    StateMachine driver() {
        return driver;
    }
}
