package io.accord.core.bench;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-thread apply throughput: 8-byte setData on 10,000 existing znodes, create+delete pairs, and multi(check +
 * setData), in entries of 100 requests from one client session (session, ACL and version checks included). Prints
 * applied requests per second per round (a multi counts once).
 * Run with {@code java -cp accord-core/target/classes:accord-core/target/test-classes
 * io.accord.core.bench.ApplyThroughput}.
 */
public final class ApplyThroughput {
    private static final int BATCH = 100;
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    private ApplyThroughput() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        long[] pos = {0};
        long[] session = {0};
        sm.apply(++pos[0], 1, new LogEntry(1, 1, List.of(new Request(1, 0, 0, IDS,
                new Op.CreateSession(30_000, new byte[16])))), a -> session[0] = ((Result.SessionCreated) a.result())
                .sessionId());
        List<Request> setup = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            setup.add(req(session[0], create("/p" + p)));
            for (int c = 0; c < 1000; c++) {
                setup.add(req(session[0], create("/p" + p + "/c" + c)));
            }
        }
        long[] seq = {1};
        sm.apply(++pos[0], 2, new LogEntry(1, ++seq[0], setup), ApplyListener.NONE);
        List<LogEntry> setData = new ArrayList<>();
        List<LogEntry> createDelete = new ArrayList<>();
        List<LogEntry> multis = new ArrayList<>();
        for (int e = 0; e < 100; e++) {
            List<Request> s = new ArrayList<>(BATCH);
            List<Request> cd = new ArrayList<>(BATCH);
            List<Request> m = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int k = e * BATCH + i;
                s.add(req(session[0], new Op.SetData("/p" + (k % 10) + "/c" + (k / 10 % 1000), new byte[8], -1)));
                String path = "/p" + (e % 10) + "/n" + e + "-" + (i / 2);
                cd.add(req(session[0], i % 2 == 0 ? create(path) : new Op.Delete(path, -1)));
                String node = "/p" + (k % 10) + "/c" + (k / 10 % 1000);
                m.add(req(session[0], new Op.Multi(List.of(new Op.Check(node, -1),
                        new Op.SetData(node, new byte[8], -1)))));
            }
            setData.add(new LogEntry(1, 0, s));
            createDelete.add(new LogEntry(1, 0, cd));
            multis.add(new LogEntry(1, 0, m));
        }
        Counter counter = new Counter();
        for (int r = 0; r < rounds; r++) {
            System.out.printf("round %d setData       %,.0f applies/s%n", r,
                    run(sm, setData, pos, seq, perRound, counter));
            System.out.printf("round %d create+delete %,.0f applies/s%n", r,
                    run(sm, createDelete, pos, seq, perRound, counter));
            System.out.printf("round %d multi(check+setData) %,.0f applies/s%n", r,
                    run(sm, multis, pos, seq, perRound / 2, counter));
        }
        System.out.println("applied=" + counter.applied + " failures=" + counter.failures + " nodes=" + sm.nodeCount()
                + " lastZxid=" + sm.lastZxid());
        if (counter.failures != 0) {
            throw new IllegalStateException(counter.failures + " requests failed");
        }
    }

    /** Counts applied requests and failures (a cheap listener, as a node's would be). */
    static final class Counter implements ApplyListener {
        long applied;
        long failures;

        @Override
        public void onApplied(Applied a) {
            applied++;
            if (a.result().code() != 0) {
                failures++;
            }
        }
    }

    private static double run(StateMachine sm, List<LogEntry> entries, long[] pos, long[] seq, int total,
            Counter counter) {
        long start = System.nanoTime();
        int applied = 0;
        while (applied < total) {
            for (LogEntry e : entries) {
                sm.apply(++pos[0], 3 + pos[0], new LogEntry(e.origin(), ++seq[0], e.requests()), counter);
                applied += e.requests().size();
            }
        }
        return applied / ((System.nanoTime() - start) / 1e9);
    }

    private static Op.Create create(String path) {
        return new Op.Create(Op.OPCODE_CREATE, path, new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1);
    }

    private static Request req(long session, Op op) {
        return new Request(1, 0, session, IDS, op);
    }
}
