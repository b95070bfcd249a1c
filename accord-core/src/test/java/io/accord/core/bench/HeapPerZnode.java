package io.accord.core.bench;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures heap bytes per znode: 1000 parents × 1000 children with 8-byte values (1,001,000 znodes), built through
 * apply, measured as used heap after several System.gc() calls minus the empty baseline. Run with e.g.
 * {@code java -Xmx2g -cp accord-core/target/classes:accord-core/target/test-classes io.accord.core.bench.HeapPerZnode}.
 */
public final class HeapPerZnode {
    private HeapPerZnode() {
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    public static void main(String[] args) {
        int parents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int children = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long before = usedAfterGc();
        StateMachine sm = new StateMachine(CoreConfig.defaults());
        long position = 0;
        byte[] value = new byte[8];
        for (int p = 0; p < parents; p++) {
            List<Request> batch = new ArrayList<>(children + 1);
            batch.add(create("/p" + p, value));
            for (int c = 0; c < children; c++) {
                batch.add(create("/p" + p + "/c" + c, value));
            }
            sm.apply(++position, 1_000L + position, new LogEntry(0, 0, batch), ApplyListener.NONE);
        }
        long after = usedAfterGc();
        int znodes = sm.nodeCount();
        double perNode = (double) (after - before) / znodes;
        System.out.printf("znodes=%d heapDelta=%.1f MB bytesPerZnode=%.1f%n", znodes, (after - before) / 1e6,
                perNode);
        if (sm.nodeCount() != parents * (children + 1) + 4) {
            throw new IllegalStateException("unexpected node count " + sm.nodeCount());
        }
    }

    private static Request create(String path, byte[] data) {
        return new Request(0, 0, 0, List.of(), new Op.Create(Op.OPCODE_CREATE, path, data, Acl.OPEN_ACL_UNSAFE, 0, -1));
    }
}
