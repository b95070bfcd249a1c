package io.accord.cluster;

import io.accord.zk.server.ZkServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One cluster member with a ZooKeeper front end in its own JVM, for {@link ZkSessionOverAeronTest}: arguments
 * {@code <root dir> <base port> <member id>} (the dirs and ports {@link TestCluster#at} uses, memory mode). Prints
 * {@code ZKPORT <port>} once the member serves, then runs until it is killed.
 */
public final class ZkMemberChild {
    private ZkMemberChild() {
    }

    public static void main(String[] args) {
        TestCluster c = TestCluster.at(Path.of(args[0]), Integer.parseInt(args[1]), 3, StorageMode.MEMORY);
        int id = Integer.parseInt(args[2]);
        AeronReplicationPort port = AeronReplicationPort.create(c.context(id));
        ZkServer server = ZkSessionOverAeronTest.serve(port, true);
        if (!port.awaitServing(Duration.ofSeconds(60))) {
            System.out.println("NOT SERVING " + port.stats());
            System.exit(1);
        }
        System.out.println("ZKPORT " + server.port());
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
