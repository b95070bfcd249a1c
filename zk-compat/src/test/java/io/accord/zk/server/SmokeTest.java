package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void createReadDelete() throws Exception {
        try (TestServer server = TestServer.start()) {
            Clients.Recorder rec = new Clients.Recorder();
            ZooKeeper zk = Clients.connect(server, rec);
            try {
                assertEquals("/a", zk.create("/a", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                Stat stat = new Stat();
                assertArrayEquals("x".getBytes(), zk.getData("/a", false, stat));
                assertEquals(List.of(), zk.getChildren("/a", false));
                zk.delete("/a", -1);
                assertEquals(null, zk.exists("/a", false));
            } finally {
                zk.close();
            }
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        TestServer server = TestServer.start();
        server.server.close();
        server.server.close(); // e.g. a shutdown hook after an explicit close
        server.close();
    }
}
