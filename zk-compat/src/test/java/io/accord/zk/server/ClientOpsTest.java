package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Every opcode the Java client can send, with its success and error shapes, through the real client. */
class ClientOpsTest {
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    private static TestServer server;
    private ZooKeeper zk;
    private String root;

    @BeforeAll
    static void start() throws Exception {
        String superDigest = DigestAuthenticationProvider.generateDigest("super:secret");
        server = TestServer.start(c -> c.superDigest(superDigest));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect(TestInfo info) throws Exception {
        zk = Clients.connect(server, new Clients.Recorder());
        root = "/" + info.getTestMethod().orElseThrow().getName();
        zk.create(root, null, OPEN, CreateMode.PERSISTENT);
    }

    @AfterEach
    void close() throws Exception {
        zk.close();
    }

    @Test
    void createVariantsAndTheirReplies() throws Exception {
        assertEquals(root + "/p", zk.create(root + "/p", new byte[0], OPEN, CreateMode.PERSISTENT));
        Stat stat = new Stat();
        assertEquals(root + "/s0000000001", zk.create(root + "/s", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL, stat));
        assertTrue(stat.getCzxid() > 0);
        assertEquals(stat.getCzxid(), stat.getMzxid());
        String ephemeral = zk.create(root + "/e", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, stat);
        assertEquals(root + "/e0000000002", ephemeral);
        assertEquals(zk.getSessionId(), stat.getEphemeralOwner());
        zk.create(root + "/c", null, OPEN, CreateMode.CONTAINER, stat);
        assertEquals(0, stat.getEphemeralOwner(), "containers show ephemeralOwner 0");
        zk.create(root + "/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000);
        assertEquals(0, stat.getEphemeralOwner(), "TTL nodes show ephemeralOwner 0");
        assertEquals(Set.of("p", "s0000000001", "e0000000002", "c", "t"), new TreeSet<>(zk.getChildren(root, false)));
    }

    @Test
    void createErrors() throws Exception {
        zk.create(root + "/x", null, OPEN, CreateMode.PERSISTENT);
        assertThrows(KeeperException.NodeExistsException.class,
                () -> zk.create(root + "/x", null, OPEN, CreateMode.PERSISTENT));
        assertThrows(KeeperException.NoNodeException.class,
                () -> zk.create(root + "/missing/x", null, OPEN, CreateMode.PERSISTENT));
        zk.create(root + "/eph", null, OPEN, CreateMode.EPHEMERAL);
        assertThrows(KeeperException.NoChildrenForEphemeralsException.class,
                () -> zk.create(root + "/eph/x", null, OPEN, CreateMode.PERSISTENT));
        assertThrows(KeeperException.InvalidACLException.class,
                () -> zk.create(root + "/y", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
        assertThrows(KeeperException.InvalidACLException.class,
                () -> zk.create(root + "/y", null, List.of(), CreateMode.PERSISTENT));
        zk.create(root + "/ro", null, ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThrows(KeeperException.NoAuthException.class,
                () -> zk.create(root + "/ro/x", null, OPEN, CreateMode.PERSISTENT));
        assertThrows(KeeperException.NodeExistsException.class, () -> zk.create("/", null, OPEN,
                CreateMode.PERSISTENT));
    }

    @Test
    void ttlDisabledIsAnOrdinaryUnimplementedReply() throws Exception {
        try (TestServer noTtl = TestServer.start(CoreConfig.defaults().withExtendedTypesEnabled(false), 2000,
                c -> c)) {
            ZooKeeper client = Clients.connect(noTtl, new Clients.Recorder());
            try {
                assertThrows(KeeperException.UnimplementedException.class, () -> client.create("/ttl", null, OPEN,
                        CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000));
                assertNotNull(client.exists("/", false), "the connection survives");
            } finally {
                client.close();
            }
        }
    }

    @Test
    void dataNullAndEmptyAreDistinct() throws Exception {
        zk.create(root + "/null", null, OPEN, CreateMode.PERSISTENT);
        zk.create(root + "/empty", new byte[0], OPEN, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        assertNull(zk.getData(root + "/null", false, stat));
        assertEquals(0, stat.getDataLength());
        assertArrayEquals(new byte[0], zk.getData(root + "/empty", false, null));
    }

    @Test
    void setDataAndVersions() throws Exception {
        zk.create(root + "/d", "a".getBytes(StandardCharsets.UTF_8), OPEN, CreateMode.PERSISTENT);
        Stat stat = zk.setData(root + "/d", "bb".getBytes(StandardCharsets.UTF_8), 0);
        assertEquals(1, stat.getVersion());
        assertEquals(2, stat.getDataLength());
        assertThrows(KeeperException.BadVersionException.class, () -> zk.setData(root + "/d", null, 0));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.setData(root + "/nope", null, -1));
        assertEquals(2, zk.setData(root + "/d", null, -1).getVersion());
    }

    @Test
    void deleteErrors() throws Exception {
        zk.create(root + "/d", null, OPEN, CreateMode.PERSISTENT);
        zk.create(root + "/d/child", null, OPEN, CreateMode.PERSISTENT);
        assertThrows(KeeperException.BadVersionException.class, () -> zk.delete(root + "/d", 5));
        assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete(root + "/d", -1));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.delete(root + "/none", -1));
        assertThrows(KeeperException.BadArgumentsException.class, () -> zk.delete("/zookeeper", -1));
        zk.delete(root + "/d/child", 0);
        zk.delete(root + "/d", 0);
        assertNull(zk.exists(root + "/d", false));
    }

    @Test
    void existsGetChildrenAndChildren2() throws Exception {
        zk.create(root + "/a", null, OPEN, CreateMode.PERSISTENT);
        zk.create(root + "/b", null, OPEN, CreateMode.PERSISTENT);
        Stat stat = zk.exists(root, false);
        assertEquals(2, stat.getNumChildren());
        assertEquals(2, stat.getCversion());
        Stat children2 = new Stat();
        assertEquals(Set.of("a", "b"), new TreeSet<>(zk.getChildren(root, false, children2)));
        assertEquals(stat, children2);
        assertThrows(KeeperException.NoNodeException.class, () -> zk.getChildren(root + "/zz", false));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.getChildren(root + "/zz", false, new Stat()));
    }

    @Test
    void aclsAndDigestAuth() throws Exception {
        zk.addAuthInfo("digest", "user1:pw1".getBytes(StandardCharsets.UTF_8));
        zk.create(root + "/secret", "s".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.CREATOR_ALL_ACL,
                CreateMode.PERSISTENT);
        List<ACL> acl = zk.getACL(root + "/secret", new Stat());
        assertEquals(List.of(new ACL(ZooDefs.Perms.ALL, new Id("digest", "user1:GMJqCvSAmNfv41XqBotWHO0HsNc="))), acl);
        ZooKeeper other = Clients.connect(server, new Clients.Recorder());
        try {
            assertThrows(KeeperException.NoAuthException.class, () -> other.getData(root + "/secret", false, null));
            assertThrows(KeeperException.NoAuthException.class, () -> other.setData(root + "/secret", null, -1));
            assertThrows(KeeperException.NoAuthException.class, () -> other.getACL(root + "/secret", new Stat()));
            other.addAuthInfo("digest", "user1:pw1".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("s".getBytes(StandardCharsets.UTF_8), other.getData(root + "/secret", false, null));
        } finally {
            other.close();
        }
        Stat stat = zk.setACL(root + "/secret", OPEN, 0);
        assertEquals(1, stat.getAversion());
        assertThrows(KeeperException.BadVersionException.class, () -> zk.setACL(root + "/secret", OPEN, 0));
    }

    @Test
    void superDigestGrantsEverythingAndShowsInWhoAmI() throws Exception {
        zk.create(root + "/locked", null, new ArrayList<>(List.of(new ACL(0, ZooDefs.Ids.ANYONE_ID_UNSAFE))), CreateMode.PERSISTENT);
        assertThrows(KeeperException.NoAuthException.class, () -> zk.getData(root + "/locked", false, null));
        ZooKeeper admin = Clients.connect(server, new Clients.Recorder());
        try {
            admin.addAuthInfo("digest", "super:secret".getBytes(StandardCharsets.UTF_8));
            assertNull(admin.getData(root + "/locked", false, null));
            Set<String> who = new TreeSet<>();
            for (ClientInfo info : admin.whoAmI()) {
                who.add(info.getAuthScheme() + "/" + info.getUser());
            }
            assertEquals(Set.of("digest/super", "super/", "ip/127.0.0.1"), who);
        } finally {
            admin.close();
        }
    }

    @Test
    void syncAndSyncedRead() throws Exception {
        CompletableFuture<Integer> rc = new CompletableFuture<>();
        CompletableFuture<String> path = new CompletableFuture<>();
        zk.create(root + "/n", null, OPEN, CreateMode.PERSISTENT);
        zk.sync(root + "/n", (code, p, ctx) -> {
            rc.complete(code);
            path.complete(p);
        }, null);
        assertEquals(0, rc.get(10, TimeUnit.SECONDS));
        assertEquals(root + "/n", path.get(10, TimeUnit.SECONDS));
    }

    @Test
    void multiSuccessAndFailureShapes() throws Exception {
        List<OpResult> ok = zk.multi(List.of(
                Op.create(root + "/m", null, OPEN, CreateMode.PERSISTENT),
                Op.create(root + "/m/c", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.setData(root + "/m", new byte[] {1}, 0),
                Op.check(root + "/m", 1),
                Op.delete(root + "/m/c0000000000", 0)));
        assertEquals(root + "/m/c0000000000", ((OpResult.CreateResult) ok.get(1)).getPath());
        assertEquals(1, ((OpResult.SetDataResult) ok.get(2)).getStat().getVersion());
        assertInstanceOf(OpResult.CheckResult.class, ok.get(3));
        assertInstanceOf(OpResult.DeleteResult.class, ok.get(4));
        KeeperException e = assertThrows(KeeperException.class, () -> zk.multi(List.of(
                Op.create(root + "/n", null, OPEN, CreateMode.PERSISTENT),
                Op.check(root + "/m", 7),
                Op.setData(root + "/m", null, -1),
                Op.delete(root + "/m", -1))));
        assertEquals(KeeperException.Code.BADVERSION, e.code());
        List<Integer> codes = new ArrayList<>();
        for (OpResult r : e.getResults()) {
            codes.add(((OpResult.ErrorResult) r).getErr());
        }
        assertEquals(List.of(0, -103, -2, -2), codes);
        assertNull(zk.exists(root + "/n", false), "a failed multi changes nothing");
        assertEquals(List.of(), zk.multi(List.of()));
    }

    @Test
    void multiReadReturnsPerOpResultsAndErrors() throws Exception {
        zk.create(root + "/r", "v".getBytes(StandardCharsets.UTF_8), OPEN, CreateMode.PERSISTENT);
        List<OpResult> results = zk.multi(List.of(Op.getData(root + "/r"), Op.getChildren(root),
                Op.getData(root + "/missing")));
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), ((OpResult.GetDataResult) results.get(0)).getData());
        assertEquals(List.of("r"), ((OpResult.GetChildrenResult) results.get(1)).getChildren());
        assertEquals(-101, ((OpResult.ErrorResult) results.get(2)).getErr());
    }

    @Test
    void ephemeralsAndAllChildrenNumber() throws Exception {
        zk.create(root + "/eph1", null, OPEN, CreateMode.EPHEMERAL);
        zk.create(root + "/x", null, OPEN, CreateMode.PERSISTENT);
        zk.create(root + "/x/eph2", null, OPEN, CreateMode.EPHEMERAL);
        assertEquals(Set.of(root + "/eph1", root + "/x/eph2"), new TreeSet<>(zk.getEphemerals(root)));
        assertEquals(List.of(root + "/x/eph2"), zk.getEphemerals(root + "/x"));
        assertEquals(3, zk.getAllChildrenNumber(root));
        assertThrows(KeeperException.NoNodeException.class, () -> zk.getAllChildrenNumber(root + "/nope"));
    }

    @Test
    void removeAndCheckWatches() throws Exception {
        zk.create(root + "/w", null, OPEN, CreateMode.PERSISTENT);
        Watcher watcher = event -> { };
        zk.getData(root + "/w", watcher, null);
        assertThrows(KeeperException.NoWatcherException.class,
                () -> zk.removeWatches(root + "/w", watcher, Watcher.WatcherType.Children, false));
        zk.removeWatches(root + "/w", watcher, Watcher.WatcherType.Data, false);
        zk.addWatch(root + "/w", watcher, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.removeAllWatches(root + "/w", Watcher.WatcherType.PersistentRecursive, false);
        assertThrows(KeeperException.NoWatcherException.class,
                () -> zk.removeAllWatches(root + "/w", Watcher.WatcherType.Any, false));
    }

    @Test
    void getConfigReadsTheEmptyStandaloneConfig() throws Exception {
        byte[] config = zk.getConfig(false, new Stat());
        assertArrayEquals(new byte[0], config);
    }
}
