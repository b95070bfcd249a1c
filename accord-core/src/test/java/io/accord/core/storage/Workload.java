package io.accord.core.storage;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.codec.LogEntryCodec;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, reproducible log of ZooKeeper traffic for a {@link StateMachine}: sessions opening, touching and
 * expiring, persistent/ephemeral/sequential/container/TTL creates, setData, deletes, setACL, multis, ticks.
 * Each step is an encoded log entry (through {@link LogEntryCodec}, as the cluster log carries it) with its
 * position and log time. Generated against a driver replica so session ids are real; the same seed always
 * yields the same log, in any process.
 */
final class Workload {
    record Step(long position, long timeMs, byte[] frame) {
        LogEntry entry() {
            return LogEntryCodec.decode(frame, 0, frame.length);
        }

        void applyTo(StateMachine sm) {
            sm.apply(position, timeMs, entry(), null);
        }
    }

    static final List<Id> IDS = List.of(new Id("ip", "10.0.0.1"), new Id("digest", "alice:hash"));
    static final List<Acl> RESTRICTED = List.of(new Acl(Perms.ALL, new Id("digest", "alice:hash")),
            new Acl(Perms.READ, Id.ANYONE));

    final List<Step> steps = new ArrayList<>();
    /** How often each op type ended with each result code (to check the workload does real work). */
    final java.util.TreeMap<String, Integer> codes = new java.util.TreeMap<>();
    final StateMachine driver = new StateMachine(CoreConfig.defaults());
    private final Random rnd;
    /** Live sessions as {id, owner origin}, in creation order. */
    private final List<long[]> sessions = new ArrayList<>();
    private final long[] sequences = new long[4];
    private long position;
    private long time = 1_700_000_000_000L;

    Workload(long seed) {
        rnd = new Random(seed);
    }

    static Workload generate(long seed, int entries) {
        Workload w = new Workload(seed);
        w.next(entries);
        return w;
    }

    /** Generates and applies (to the driver) {@code n} more entries. */
    void next(int n) {
        for (int i = 0; i < n; i++) {
            step();
        }
    }

    private void step() {
        int origin = 1 + rnd.nextInt(3);
        time += rnd.nextInt(50);
        position += 1 + rnd.nextInt(200);
        List<Request> requests = new ArrayList<>();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            requests.add(request(origin));
        }
        LogEntry entry;
        if (rnd.nextInt(40) == 0) {
            entry = new LogEntry(0, 0, List.of(new Request(0, 0, 0, List.of(), new Op.Tick())));
            time += rnd.nextInt(3_000);
        } else {
            entry = new LogEntry(origin, ++sequences[origin], requests);
        }
        byte[] frame = LogEntryCodec.encode(entry);
        Step step = new Step(position, time, frame);
        steps.add(step);
        driver.apply(step.position(), step.timeMs(), step.entry(), applied -> {
            if (applied.result() instanceof Result.SessionCreated sc) {
                sessions.add(new long[] {sc.sessionId(), applied.request().origin()});
            } else if (applied.request().op() instanceof Op.CloseSession && applied.result().code() == 0) {
                sessions.removeIf(x -> x[0] == applied.request().sessionId());
            }
            codes.merge(applied.request().op().getClass().getSimpleName() + ":" + applied.result().code(), 1, Integer::sum);
        });
    }

    private String dir() {
        return "/app/d" + rnd.nextInt(8);
    }

    private String node() {
        return dir() + "/n" + rnd.nextInt(60);
    }

    private byte[] data() {
        if (rnd.nextInt(10) == 0) {
            return rnd.nextBoolean() ? null : new byte[0];
        }
        byte[] b = new byte[rnd.nextInt(rnd.nextInt(30) == 0 ? 3000 : 16)];
        rnd.nextBytes(b);
        return b;
    }

    /** A live session owned by {@code origin}, or 0. */
    private long session(int origin) {
        List<Long> mine = new ArrayList<>();
        for (long[] x : sessions) {
            if (x[1] == origin) {
                mine.add(x[0]);
            }
        }
        return mine.isEmpty() ? 0 : mine.get(rnd.nextInt(mine.size()));
    }

    private Request request(int origin) {
        long session = session(origin);
        Op op;
        int k = rnd.nextInt(100);
        if (k < 3 || session == 0) {
            byte[] pw = new byte[16];
            rnd.nextBytes(pw);
            op = new Op.CreateSession(10_000 + rnd.nextInt(30_000), pw);
            session = 0;
        } else if (k < 12) {
            op = new Op.Create(Op.OPCODE_CREATE2, rnd.nextBoolean() ? dir() : "/app", data(), Acl.OPEN_ACL_UNSAFE, 0, -1);
        } else if (k < 30) {
            op = new Op.Create(Op.OPCODE_CREATE, node(), data(), rnd.nextInt(5) == 0 ? RESTRICTED : Acl.OPEN_ACL_UNSAFE,
                    rnd.nextInt(4), -1); // persistent, ephemeral, sequential, ephemeral sequential
        } else if (k < 33) {
            op = new Op.Create(Op.OPCODE_CREATE_CONTAINER, "/cont" + rnd.nextInt(5), data(), Acl.OPEN_ACL_UNSAFE, 4, -1);
        } else if (k < 35) {
            op = new Op.Create(Op.OPCODE_CREATE_TTL, "/ttl" + rnd.nextInt(20), data(), Acl.OPEN_ACL_UNSAFE, 5,
                    1 + rnd.nextInt(30_000));
        } else if (k < 65) {
            op = new Op.SetData(node(), data(), rnd.nextInt(8) == 0 ? rnd.nextInt(3) : -1);
        } else if (k < 75) {
            op = new Op.Delete(rnd.nextBoolean() ? node() : "/cont" + rnd.nextInt(5) + "/x", -1);
        } else if (k < 78) {
            op = new Op.SetAcl(node(), rnd.nextBoolean() ? RESTRICTED : Acl.OPEN_ACL_UNSAFE, -1);
        } else if (k < 88) {
            String p = node();
            op = new Op.Multi(List.of(new Op.Check(p, rnd.nextInt(3) - 1), new Op.SetData(p, data(), -1),
                    new Op.Create(Op.OPCODE_CREATE, p + "-m" + rnd.nextInt(10), data(), Acl.OPEN_ACL_UNSAFE, 0, -1)));
        } else if (k < 95) {
            long[] ids = new long[1 + rnd.nextInt(5)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = session(origin);
            }
            op = new Op.Touch(ids);
            session = 0;
        } else if (k < 96) {
            op = new Op.CloseSession();
        } else {
            op = new Op.Sync("/");
        }
        return new Request(origin, rnd.nextLong(), session, IDS, op);
    }
}
