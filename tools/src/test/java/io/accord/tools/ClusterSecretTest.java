package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord.clusterSecretPath}: the member's own ingress proves the secret, so a server with one serves writes;
 * a missing or too short secret file stops the start with a message saying what to do.
 */
@Timeout(120)
class ClusterSecretTest {
    @TempDir
    Path dir;

    private Properties zooCfg(Path secret) {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("clientPort", "0");
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("accord.mode", "memory");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty(AccordServer.CLUSTER_SECRET_PATH, secret.toString());
        return p;
    }

    @Test
    void aServerWithASecretServesWrites() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef\n");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg(secret), Path.of("."), w -> { }))) {
            assertTrue(server.awaitServing(Duration.ofSeconds(60)), "not serving within 60 s");
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            try {
                assertTrue(connected.await(30, TimeUnit.SECONDS));
                zk.create("/written", new byte[] {7}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertArrayEquals(new byte[] {7}, zk.getData("/written", false, null));
            } finally {
                zk.close();
            }
        }
    }

    @Test
    void theSecretIsTheFileWithoutItsTrailingLineBreak() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdefXYZ\r\n");
        assertEquals("0123456789abcdefXYZ",
                new String(AccordServer.clusterSecret(secret), StandardCharsets.US_ASCII));
    }

    @Test
    void aMissingOrShortSecretIsAConfigError() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg(dir.resolve("nope")), Path.of("."), w -> { })));
        assertTrue(missing.getMessage().startsWith("accord.clusterSecretPath: cannot read "), missing.getMessage());
        assertTrue(missing.getMessage().contains("head -c 32 /dev/urandom"), missing.getMessage());

        Path shortSecret = Files.writeString(dir.resolve("short"), "too short\n");
        ConfigException tooShort = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg(shortSecret), Path.of("."), w -> { })));
        assertTrue(tooShort.getMessage().contains("holds 9 bytes; a cluster secret needs at least 16"),
                tooShort.getMessage());
    }
}
