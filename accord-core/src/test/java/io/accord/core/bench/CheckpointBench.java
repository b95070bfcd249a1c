package io.accord.core.bench;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the Checkpoint and Restart benchmarks: a replica of P parents x C children, 8-byte values. */
final class CheckpointBench {
    static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    final StateMachine sm = new StateMachine(CoreConfig.defaults());
    final String[] paths;
    long position;
    long time = 1_700_000_000_000L;
    long sequence;
    long session;

    CheckpointBench(int parents, int children) {
        paths = new String[parents * children];
        apply(new ArrayList<>(List.of(new Request(1, 0, 0, IDS, new Op.CreateSession(30_000, new byte[16])))), applied -> {
            if (applied.result() instanceof Result.SessionCreated sc) {
                session = sc.sessionId();
            }
        });
        List<Request> batch = new ArrayList<>();
        for (int p = 0; p < parents; p++) {
            batch.add(create("/p" + p));
            apply(batch, null);
            for (int c = 0; c < children; c++) {
                String path = "/p" + p + "/c" + c;
                paths[p * children + c] = path;
                batch.add(create(path));
                if (batch.size() == 1000) {
                    apply(batch, null);
                }
            }
            apply(batch, null);
            if ((p + 1) % 100 == 0) {
                System.out.printf("populated %,d znodes%n", (long) (p + 1) * children);
            }
        }
    }

    private Request create(String path) {
        return new Request(1, 0, session, IDS,
                new Op.Create(Op.OPCODE_CREATE, path, new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1));
    }

    Request setData(String path, long value) {
        byte[] data = new byte[8];
        for (int i = 0; i < 8; i++) {
            data[i] = (byte) (value >>> (8 * i));
        }
        return new Request(1, 0, session, IDS, new Op.SetData(path, data, -1));
    }

    /** Applies {@code batch} as one log entry and clears it. */
    void apply(List<Request> batch, io.accord.core.txn.ApplyListener listener) {
        if (batch.isEmpty()) {
            return;
        }
        position += 1;
        time += 1;
        sm.apply(position, time, new LogEntry(1, ++sequence, List.copyOf(batch)), listener);
        batch.clear();
    }

    static long heapUsedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
