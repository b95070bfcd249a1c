package io.accord.cluster;

import io.accord.core.txn.Applied;
import io.accord.core.txn.Result;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The victim of {@link KillRestartTest}: three persistent members in this JVM, writing from every member with a
 * window of outstanding requests and printing {@code ACK <member> <i>} once member's own replica applied
 * {@code /k-<member>-<i>}. It runs until it is killed.
 *
 * <p>Arguments: the cluster root dir and the base port (the same ones {@link TestCluster#at} uses).
 */
public final class KillChild {
    private KillChild() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int base = Integer.parseInt(args[1]);
        Duration wait = Duration.ofSeconds(60);
        TestCluster c = TestCluster.at(root, base, 3, StorageMode.PERSISTENT).startAll();
        c.awaitServing(wait);
        System.out.println("SERVING");
        System.out.flush();
        long[][] ids = new long[4][];
        int window = 20;
        for (int id = 1; id <= 3; id++) {
            ids[id] = new long[1_000_000];
        }
        int next = 0;
        int acked = 0;
        while (true) {
            while (next < acked + window) {
                for (int id = 1; id <= 3; id++) {
                    ids[id][next] = c.submitCreate(id, "/k-" + id + "-" + next, wait);
                }
                next++;
            }
            for (int id = 1; id <= 3; id++) {
                Applied a = c.awaitApplied(id, ids[id][acked], wait);
                if (!(a.result() instanceof Result.Created)) {
                    System.out.println("UNEXPECTED " + a);
                }
                System.out.println("ACK " + id + " " + acked);
            }
            System.out.flush();
            acked++;
        }
    }
}
