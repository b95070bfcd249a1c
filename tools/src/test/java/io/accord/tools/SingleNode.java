package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/** A one-node server for tests of Accord's own zoo.cfg keys. */
final class SingleNode {
    private SingleNode() {
    }

    /** A memory-mode one-node zoo.cfg on a free loopback client port, without the AdminServer. */
    static Properties zooCfg(Path dir) {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("clientPort", "0");
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("accord.mode", "memory");
        p.setProperty("dataDir", dir.resolve("data").toString());
        return p;
    }

    /** Asserts with the real ZooKeeper client that the server serves: creates {@code path} and reads it back. */
    static void assertServesWrites(AccordServer server, String path, byte value) throws Exception {
        ZooKeeper zk = connect(server);
        try {
            zk.create(path, new byte[] {value}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertArrayEquals(new byte[] {value}, zk.getData(path, false, null));
        } finally {
            zk.close();
        }
    }

    /** The data of {@code path}, read with the real ZooKeeper client. */
    static byte[] read(AccordServer server, String path) throws Exception {
        ZooKeeper zk = connect(server);
        try {
            return zk.getData(path, false, null);
        } finally {
            zk.close();
        }
    }

    private static ZooKeeper connect(AccordServer server) throws Exception {
        assertTrue(server.awaitServing(Duration.ofSeconds(60)), "not serving within 60 s");
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("the client did not connect within 30 s");
        }
        return zk;
    }
}
