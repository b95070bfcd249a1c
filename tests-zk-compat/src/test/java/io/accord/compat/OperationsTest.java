package io.accord.compat;

import static io.accord.compat.support.Keeper.assertCode;
import static io.accord.compat.support.Keeper.bytes;
import static io.accord.compat.support.Keeper.sorted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetDataResponse;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.RawZooKeeper;

/** Every znode opcode through the real client: return values, Stat fields and error codes. */
class OperationsTest extends TargetTestBase {

    private RawZooKeeper zk() throws Exception {
        return clients.connect(target.connectString());
    }

    @Test
    void create2ReturnsTheStatOfTheNewNodeAndBumpsOnlyTheParentsChildFields() throws Exception {
        RawZooKeeper zk = zk();
        Stat parentBefore = new Stat();
        zk.create(root, bytes("p"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, parentBefore);

        Stat stat = new Stat();
        assertEquals(root + "/a", zk.create(root + "/a", bytes("hello"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat));
        assertEquals(stat.getCzxid(), stat.getMzxid());
        assertEquals(stat.getCzxid(), stat.getPzxid());
        assertTrue(stat.getCzxid() > parentBefore.getCzxid());
        assertEquals(stat.getCtime(), stat.getMtime());
        assertEquals(0, stat.getVersion());
        assertEquals(0, stat.getCversion());
        assertEquals(0, stat.getAversion());
        assertEquals(0, stat.getEphemeralOwner());
        assertEquals(5, stat.getDataLength());
        assertEquals(0, stat.getNumChildren());
        assertEquals(stat, zk.exists(root + "/a", false));

        Stat parent = zk.exists(root, false);
        assertEquals(parentBefore.getCversion() + 1, parent.getCversion());
        assertEquals(stat.getCzxid(), parent.getPzxid());
        assertEquals(1, parent.getNumChildren());
        assertEquals(parentBefore.getMzxid(), parent.getMzxid(), "parent mzxid is unchanged by a child create");
        assertEquals(parentBefore.getMtime(), parent.getMtime());
        assertEquals(parentBefore.getVersion(), parent.getVersion());
    }

    @Test
    void plainCreateReturnsThePathOnly() throws Exception {
        RawZooKeeper zk = zk();
        assertEquals(root, zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        CreateResponse response = new CreateResponse();
        ReplyHeader header = zk.submit(OpCode.create, new CreateRequest(root + "/raw", null, Ids.OPEN_ACL_UNSAFE, 0), response);
        assertEquals(0, header.getErr());
        assertEquals(root + "/raw", response.getPath());
        assertEquals(header.getZxid(), zk.exists(root + "/raw", false).getCzxid(), "a write's reply zxid is its own zxid");
    }

    @Test
    void ephemeralNodesAreOwnedByTheSessionAndCannotHaveChildren() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        zk.create(root + "/e", bytes("x"), Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
        assertEquals(zk.getSessionId(), stat.getEphemeralOwner());
        assertCode(Code.NOCHILDRENFOREPHEMERALS,
            () -> zk.create(root + "/e/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertCode(Code.NOCHILDRENFOREPHEMERALS,
            () -> zk.create(root + "/e/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL));
        String seq = zk.create(root + "/es-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        assertEquals(root + "/es-0000000001", seq);
        assertEquals(zk.getSessionId(), zk.exists(seq, false).getEphemeralOwner());
    }

    @Test
    void containerAndTtlNodesReportEphemeralOwnerZeroAndMayHaveEphemeralChildren() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat container = new Stat();
        assertEquals(root + "/c", zk.create(root + "/c", bytes("c"), Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, container));
        assertEquals(0, container.getEphemeralOwner());
        Stat ttl = new Stat();
        assertEquals(root + "/t", zk.create(root + "/t", bytes("t"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, ttl, 60_000));
        assertEquals(0, ttl.getEphemeralOwner());
        assertEquals(0, zk.exists(root + "/t", false).getEphemeralOwner());
        Stat seqTtl = new Stat();
        assertEquals(root + "/st-0000000002",
            zk.create(root + "/st-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, seqTtl, 60_000));
        assertEquals(0, seqTtl.getEphemeralOwner());

        zk.create(root + "/c/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/t/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertEquals(List.of("e"), zk.getChildren(root + "/c", false));
        assertEquals(List.of("e"), zk.getChildren(root + "/t", false));
    }

    @Test
    void ttlCreateRejectsBadTtlValuesWithBadArguments() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int ttlMode = CreateMode.PERSISTENT_WITH_TTL.toFlag();
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/t0", null, Ids.OPEN_ACL_UNSAFE, ttlMode, 0), new Create2Response()).getErr());
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/t1", null, Ids.OPEN_ACL_UNSAFE, ttlMode, 1L << 40), new Create2Response()).getErr());
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/t2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.toFlag(), 1000), new Create2Response()).getErr());
        Create2Response ok = new Create2Response();
        assertEquals(0, zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/t3", null, Ids.OPEN_ACL_UNSAFE, ttlMode, (1L << 40) - 1), ok).getErr());
        assertEquals(root + "/t3", ok.getPath());
        assertEquals(List.of("t3"), zk.getChildren(root, false));
    }

    @Test
    void createRejectsUnknownFlagsEmptyAclsAndExistingNodes() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals(Code.BADARGUMENTS.intValue(),
            zk.submit(OpCode.create, new CreateRequest(root + "/x", null, Ids.OPEN_ACL_UNSAFE, 7), new CreateResponse()).getErr());
        assertEquals(Code.INVALIDACL.intValue(),
            zk.submit(OpCode.create, new CreateRequest(root + "/x", null, List.of(), 0), new CreateResponse()).getErr());
        assertEquals(Code.INVALIDACL.intValue(),
            zk.submit(OpCode.create, new CreateRequest(root + "/x", null, Ids.CREATOR_ALL_ACL, 0), new CreateResponse()).getErr(),
            "auth scheme without an authenticated id");
        assertCode(Code.NODEEXISTS, () -> zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertCode(Code.NODEEXISTS, () -> zk.create("/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertCode(Code.NONODE, () -> zk.create(root + "/missing/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertEquals(List.of(), zk.getChildren(root, false));
    }

    @Test
    void writesValidatePathsOnTheServerButDeleteAndReadsOnlyLookThemUp() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (String bad : List.of(root + "/", root + "/.", root + "/..", "noslash", "", root + "/a\u0001b")) {
            assertEquals(Code.BADARGUMENTS.intValue(),
                zk.submit(OpCode.create, new CreateRequest(bad, null, Ids.OPEN_ACL_UNSAFE, 0), new CreateResponse()).getErr(),
                "create '" + bad + "'");
        }
        assertEquals(Code.NONODE.intValue(),
            zk.submit(OpCode.create, new CreateRequest(root + "//q", null, Ids.OPEN_ACL_UNSAFE, 0), new CreateResponse()).getErr(),
            "an empty segment is found as a missing parent first");
        CreateResponse seq = new CreateResponse();
        assertEquals(0, zk.submit(OpCode.create,
            new CreateRequest(root + "/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL.toFlag()), seq).getErr());
        assertEquals(root + "/0000000000", seq.getPath(), "a trailing slash is legal with a sequential flag");
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (String bad : List.of(root + "/", root + "/.", root + "/..", root + "/a/", root + "//a", "noslash", "", root + "/a\u0001b")) {
            assertEquals(Code.BADARGUMENTS.intValue(),
                zk.submit(OpCode.setData, new SetDataRequest(bad, null, -1), new SetDataResponse()).getErr(), "setData '" + bad + "'");
            assertEquals(Code.BADARGUMENTS.intValue(),
                zk.submit(OpCode.setACL, new SetACLRequest(bad, Ids.OPEN_ACL_UNSAFE, -1), new SetACLResponse()).getErr(),
                "setACL '" + bad + "'");
        }
        // delete only rejects a path without any '/'; anything else is looked up and simply missing
        for (String bad : List.of(root + "/", root + "/.", root + "/..", root + "/a/", root + "//a", root + "/a\u0001b")) {
            assertEquals(Code.NONODE.intValue(), zk.submit(OpCode.delete, new DeleteRequest(bad, -1), null).getErr(),
                "delete '" + bad + "'");
        }
        for (String bad : List.of("noslash", "")) {
            assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.delete, new DeleteRequest(bad, -1), null).getErr(),
                "delete '" + bad + "'");
        }
        assertEquals(Code.NONODE.intValue(), zk.submit(OpCode.exists, new ExistsRequest("noslash", false), new ExistsResponse()).getErr());
        assertEquals(0, zk.submit(OpCode.exists, new ExistsRequest("", false), new ExistsResponse()).getErr(),
            "exists(\"\") finds the server's internal root node");
        assertEquals(Code.NONODE.intValue(),
            zk.submit(OpCode.getData, new GetDataRequest(root + "//x/", false), new GetDataResponse()).getErr(),
            "reads do not validate paths, they just miss");
        assertEquals(Code.NONODE.intValue(),
            zk.submit(OpCode.getData, new GetDataRequest("noslash", false), new GetDataResponse()).getErr());
    }

    @Test
    void sequentialSuffixCountsEveryChildCreateAndIsNeverReused() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete(root + "/a", -1);
        assertEquals(2, zk.exists(root, false).getCversion(), "visible cversion counts the create and the delete");
        assertEquals(root + "/s-0000000001", zk.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        zk.create(root + "/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete(root + "/s-0000000001", -1);
        assertEquals(root + "/s-0000000003", zk.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        assertEquals(root + "/0000000004", zk.create(root + "/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
        assertCode(Code.NODEEXISTS, () -> zk.create(root + "/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertEquals(root + "/s-0000000005", zk.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL),
            "a failed create takes no number");
    }

    @Test
    void nullAndEmptyDataAreDistinctButBothHaveLengthZero() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/empty", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        assertNull(zk.getData(root, false, stat));
        assertEquals(0, stat.getDataLength());
        assertArrayEquals(new byte[0], zk.getData(root + "/empty", false, stat));
        assertEquals(0, stat.getDataLength());
        zk.setData(root + "/empty", null, -1);
        assertNull(zk.getData(root + "/empty", false, null));
    }

    @Test
    void setDataBumpsVersionAndMzxidEvenForIdenticalData() throws Exception {
        RawZooKeeper zk = zk();
        Stat created = new Stat();
        zk.create(root, bytes("v"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
        zk.create(root + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat parentBefore = zk.exists(root, false);
        Stat s1 = zk.setData(root + "/c", bytes("v"), 0);
        assertEquals(1, s1.getVersion());
        Stat s2 = zk.setData(root + "/c", bytes("v"), -1);
        assertEquals(2, s2.getVersion());
        assertTrue(s2.getMzxid() > s1.getMzxid());
        assertTrue(s2.getMtime() >= s1.getMtime());
        assertEquals(s1.getCzxid(), s2.getCzxid());
        assertEquals(s1.getCtime(), s2.getCtime());
        assertEquals(s1.getPzxid(), s2.getPzxid());
        assertEquals(1, s2.getDataLength());
        assertEquals(parentBefore, zk.exists(root, false), "a child's setData changes nothing on the parent");
        assertCode(Code.BADVERSION, () -> zk.setData(root + "/c", bytes("w"), 1));
        assertCode(Code.NONODE, () -> zk.setData(root + "/nope", bytes("w"), -1));
        assertEquals(s2, zk.exists(root + "/c", false), "a failed setData changes nothing");
    }

    @Test
    void deleteChecksVersionBeforeEmptinessAndUpdatesTheParent() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertCode(Code.BADVERSION, () -> zk.delete(root + "/a", 5));
        assertCode(Code.NOTEMPTY, () -> zk.delete(root + "/a", 0));
        assertCode(Code.NOTEMPTY, () -> zk.delete(root + "/a", -1));
        assertCode(Code.NONODE, () -> zk.delete(root + "/nope", -1));
        assertCode(Code.NONODE, () -> zk.delete(root + "/nope/x", -1));
        zk.setData(root + "/a/b", null, -1);
        assertCode(Code.BADVERSION, () -> zk.delete(root + "/a/b", 0));
        Stat before = zk.exists(root + "/a", false);
        zk.delete(root + "/a/b", 1);
        Stat after = zk.exists(root + "/a", false);
        assertEquals(before.getCversion() + 1, after.getCversion(), "a child delete bumps the visible cversion");
        assertEquals(0, after.getNumChildren());
        assertTrue(after.getPzxid() > before.getPzxid(), "pzxid moves on a child delete");
        assertEquals(before.getMzxid(), after.getMzxid());
        zk.delete(root + "/a", 0);
        assertNull(zk.exists(root + "/a", false));
    }

    @Test
    void systemNodesCannotBeDeleted() throws Exception {
        RawZooKeeper zk = zk();
        for (String path : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
            assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.delete, new DeleteRequest(path, -1), null).getErr(),
                "delete " + path);
        }
    }

    @Test
    void systemNodesHaveZookeepersStatsAndAcls() throws Exception {
        RawZooKeeper zk = zk();
        Stat zookeeper = zk.exists("/zookeeper", false);
        assertEquals(-2, zookeeper.getCversion(), "/zookeeper's children were added without bumping its counter");
        assertEquals(2, zookeeper.getNumChildren());
        assertEquals(List.of("config", "quota"), sorted(zk.getChildren("/zookeeper", false)));
        for (String path : List.of("/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
            Stat s = zk.exists(path, false);
            assertEquals(0, s.getCzxid(), path);
            assertEquals(0, s.getMzxid(), path);
            assertEquals(0, s.getCtime(), path);
            assertEquals(0, s.getMtime(), path);
            assertEquals(0, s.getEphemeralOwner(), path);
        }
        assertEquals(0, zk.exists("/zookeeper/quota", false).getPzxid());
        assertEquals(0, zk.exists("/zookeeper/config", false).getPzxid());
        assertEquals(-1, zk.exists("/zookeeper/config", false).getAversion());
        assertEquals(Ids.READ_ACL_UNSAFE, zk.getACL("/zookeeper/config", new Stat()));
        assertEquals(Ids.OPEN_ACL_UNSAFE, zk.getACL("/zookeeper/quota", new Stat()));
        assertEquals(Ids.OPEN_ACL_UNSAFE, zk.getACL("/zookeeper", new Stat()));
        assertEquals(Ids.OPEN_ACL_UNSAFE, zk.getACL("/", new Stat()));
        Stat config = new Stat();
        byte[] data = zk.getData("/zookeeper/config", false, config);
        assertEquals(0, data == null ? 0 : data.length, "standalone has an empty dynamic config");
        assertCode(Code.NOAUTH, () -> zk.setData("/zookeeper/config", bytes("x"), -1));
    }

    @Test
    void readsOfMissingNodesFailWithNoNode() throws Exception {
        RawZooKeeper zk = zk();
        assertNull(zk.exists(root, false));
        assertCode(Code.NONODE, () -> zk.getData(root, false, null));
        assertCode(Code.NONODE, () -> zk.getChildren(root, false));
        assertCode(Code.NONODE, () -> zk.getChildren(root, false, new Stat()));
        assertCode(Code.NONODE, () -> zk.getACL(root, new Stat()));
        assertCode(Code.NONODE, () -> zk.getAllChildrenNumber(root));
        assertCode(Code.NONODE, () -> zk.setACL(root, Ids.OPEN_ACL_UNSAFE, -1));
    }

    @Test
    void getChildrenAndGetChildren2ListChildrenWithTheParentsStat() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (String c : List.of("b", "a", "c")) {
            zk.create(root + "/" + c, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.create(root + "/a/deep", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals(List.of("a", "b", "c"), sorted(zk.getChildren(root, false)));
        Stat stat = new Stat();
        assertEquals(List.of("a", "b", "c"), sorted(zk.getChildren(root, false, stat)));
        assertEquals(zk.exists(root, false), stat);
        assertEquals(3, stat.getNumChildren());
        assertEquals(3, stat.getCversion());
        assertEquals(List.of(), zk.getChildren(root + "/b", false));
    }

    @Test
    void setAclBumpsOnlyAversionAndChecksIt() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat before = zk.exists(root, false);
        List<ACL> readAdmin = java.util.Arrays.asList(new ACL(Perms.READ | Perms.ADMIN, Ids.ANYONE_ID_UNSAFE));
        Stat after = zk.setACL(root, readAdmin, 0);
        assertEquals(1, after.getAversion());
        assertEquals(before.getMzxid(), after.getMzxid(), "setACL leaves mzxid alone");
        assertEquals(before.getMtime(), after.getMtime());
        assertEquals(before.getVersion(), after.getVersion());
        assertEquals(before.getPzxid(), after.getPzxid());
        Stat aclStat = new Stat();
        assertEquals(readAdmin, zk.getACL(root, aclStat));
        assertEquals(after, aclStat);
        assertCode(Code.BADVERSION, () -> zk.setACL(root, Ids.OPEN_ACL_UNSAFE, 0));
        assertEquals(2, zk.setACL(root, Ids.OPEN_ACL_UNSAFE, -1).getAversion());
    }

    @Test
    void getEphemeralsListsOnlyTheCallersEphemeralsByStringPrefix() throws Exception {
        RawZooKeeper zk = zk();
        RawZooKeeper other = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/x/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        other.create(root + "/other", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertEquals(List.of(root + "/eph", root + "/x/e"), sorted(zk.getEphemerals()));
        assertEquals(List.of(root + "/eph", root + "/x/e"), sorted(zk.getEphemerals("/")));
        assertEquals(List.of(root + "/eph"), zk.getEphemerals(root + "/e"));
        assertEquals(List.of(root + "/x/e"), zk.getEphemerals(root + "/x"));
        assertEquals(List.of(), zk.getEphemerals(root + "/nothing"));
        assertEquals(List.of(root + "/other"), other.getEphemerals());
    }

    @Test
    void getAllChildrenNumberCountsAllDescendants() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a/b/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/d", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEquals(4, zk.getAllChildrenNumber(root));
        assertEquals(2, zk.getAllChildrenNumber(root + "/a"));
        assertEquals(0, zk.getAllChildrenNumber(root + "/d"));
        assertEquals(2, zk.getAllChildrenNumber("/zookeeper"));
    }

    @Test
    void getAllChildrenNumberOfRootCountsTheZookeeperSubtree() throws Exception {
        try (ServerTarget fresh = startTarget(TargetConfig.defaults())) {
            RawZooKeeper zk = clients.connect(fresh.connectString());
            assertEquals(3, zk.getAllChildrenNumber("/"), "/zookeeper, /zookeeper/quota, /zookeeper/config");
            zk.create("/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertEquals(4, zk.getAllChildrenNumber("/"));
            assertEquals(List.of("a", "zookeeper"), sorted(zk.getChildren("/", false)));
        }
    }

    @Test
    void syncEchoesThePathWithoutCheckingIt() throws Exception {
        RawZooKeeper zk = zk();
        CompletableFuture<String> result = new CompletableFuture<>();
        zk.sync(root + "/nonexistent", (rc, path, ctx) -> {
            if (rc == 0) {
                result.complete(path);
            } else {
                result.completeExceptionally(new AssertionError("sync rc " + rc));
            }
        }, null);
        assertEquals(root + "/nonexistent", result.get(20, TimeUnit.SECONDS));
    }

    @Test
    void reconfigIsDisabled() throws Exception {
        RawZooKeeper zk = zk();
        ReplyHeader header = zk.submit(OpCode.reconfig,
            new org.apache.zookeeper.proto.ReconfigRequest(null, null, "server.1=127.0.0.1:2888:3888;2181", -1),
            new GetDataResponse());
        assertEquals(Code.RECONFIGDISABLED.intValue(), header.getErr());
        assertNotNull(zk.exists("/", false), "and the connection stays usable");
    }

    @Test
    void unknownOpcodeIsAnsweredUnimplementedAndClosesTheConnection() throws Exception {
        io.accord.compat.support.EventLog events = new io.accord.compat.support.EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        long session = zk.getSessionId();
        ReplyHeader header = zk.submit(99, new GetDataRequest("/", false), null);
        assertEquals(Code.UNIMPLEMENTED.intValue(), header.getErr());
        events.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.Disconnected);
        events.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected);
        assertEquals(session, zk.getSessionId(), "the session survives; only the connection was closed");
        assertNotNull(zk.exists("/", false));
    }

    @Test
    void standaloneCheckIsUnimplemented() throws Exception {
        io.accord.compat.support.EventLog events = new io.accord.compat.support.EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        ReplyHeader header = zk.submit(OpCode.check, new org.apache.zookeeper.proto.CheckVersionRequest("/", -1), null);
        assertEquals(Code.UNIMPLEMENTED.intValue(), header.getErr());
        events.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.Disconnected);
        events.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected);
    }
}
