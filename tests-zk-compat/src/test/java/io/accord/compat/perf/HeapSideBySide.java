package io.accord.compat.perf;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.server.DataTree;

/**
 * Heap per znode of ZooKeeper 3.9.5's {@link DataTree} and of Accord's {@link StateMachine}, measured in one JVM
 * one after the other: the same 1,000 parents x 1,000 children with 8-byte values and the open ACL, built through
 * each tree's own create path, measured as used heap after repeated {@code System.gc()} minus the empty baseline.
 * Both hold what a server keeps per znode in memory (ZooKeeper's DataNode and Stat, path map and children sets;
 * Accord's compact nodes); neither counts a log or sessions.
 *
 * <p>Run from the repository root (README's "Performance" section has the same commands):
 * <pre>
 * mvn -q install -DskipTests
 * mvn -q -pl tests-zk-compat test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *     -Dmdep.includeScope=test
 * java -Xmx3g -cp "tests-zk-compat/target/test-classes:$(cat tests-zk-compat/target/cp.txt)" \
 *     io.accord.compat.perf.HeapSideBySide
 * </pre>
 */
public final class HeapSideBySide {
    private HeapSideBySide() {
    }

    public static void main(String[] args) throws Exception {
        int parents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int children = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        byte[] value = new byte[8];

        long base = usedAfterGc();
        DataTree zk = new DataTree();
        long zxid = 0;
        for (int p = 0; p < parents; p++) {
            String parent = "/p" + p;
            zk.createNode(parent, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, 0, ++zxid, 1_000L + zxid);
            for (int c = 0; c < children; c++) {
                zk.createNode(parent + "/c" + c, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0, c, ++zxid, 1_000L + zxid);
            }
        }
        double zkBytes = (double) (usedAfterGc() - base) / zk.getNodeCount();
        int zkNodes = zk.getNodeCount();
        zk = null; // released before Accord is measured

        base = usedAfterGc();
        StateMachine accord = new StateMachine(CoreConfig.defaults());
        long position = 0;
        for (int p = 0; p < parents; p++) {
            List<Request> batch = new ArrayList<>(children + 1);
            batch.add(create("/p" + p, value));
            for (int c = 0; c < children; c++) {
                batch.add(create("/p" + p + "/c" + c, value));
            }
            accord.apply(++position, 1_000L + position, new LogEntry(0, 0, batch), ApplyListener.NONE);
        }
        double accordBytes = (double) (usedAfterGc() - base) / accord.nodeCount();
        System.out.printf("znodes: zookeeper=%d accord=%d (8-byte values)%n", zkNodes, accord.nodeCount());
        System.out.printf("RESULT heap_bytes_per_znode zookeeper=%.1f accord=%.1f ratio=%.3f%n", zkBytes, accordBytes,
                accordBytes / zkBytes);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static Request create(String path, byte[] data) {
        return new Request(0, 0, 0, List.of(), new Op.Create(Op.OPCODE_CREATE, path, data, Acl.OPEN_ACL_UNSAFE, 0, -1));
    }
}
