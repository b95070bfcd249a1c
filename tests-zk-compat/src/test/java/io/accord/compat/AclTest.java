package io.accord.compat;

import static io.accord.compat.support.Keeper.assertCode;
import static io.accord.compat.support.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.EventLog;
import io.accord.compat.support.RawZooKeeper;

/** ACL enforcement per op and scheme, authentication, super user, getACL redaction and whoAmI. */
class AclTest extends TargetTestBase {

    private static final String USER1 = TargetConfig.digestId("user1", "pw1");
    private static final String USER2 = TargetConfig.digestId("user2", "pw2");

    private static List<ACL> acl(int perms, String scheme, String id) {
        return new ArrayList<>(List.of(new ACL(perms, new Id(scheme, id))));
    }

    private RawZooKeeper authed(String user, String password) throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.addAuthInfo("digest", bytes(user + ":" + password));
        return zk;
    }

    private RawZooKeeper anonymous() throws Exception {
        return clients.connect(target.connectString());
    }

    @Test
    void digestIdIsUserColonBase64Sha1() {
        assertEquals("user1:GMJqCvSAmNfv41XqBotWHO0HsNc=", USER1, "example from PROTOCOL.md 7.3");
    }

    @Test
    void digestAclIsEnforcedForEveryOp() throws Exception {
        RawZooKeeper owner = authed("user1", "pw1");
        owner.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String node = root + "/secret";
        owner.create(node, bytes("s"), acl(Perms.ALL, "digest", USER1), CreateMode.PERSISTENT);
        owner.create(node + "/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        for (RawZooKeeper stranger : List.of(anonymous(), authed("user2", "pw2"), authed("user1", "wrong"))) {
            assertCode(Code.NOAUTH, () -> stranger.getData(node, false, null));
            assertCode(Code.NOAUTH, () -> stranger.exists(node, false));
            assertCode(Code.NOAUTH, () -> stranger.getChildren(node, false));
            assertCode(Code.NOAUTH, () -> stranger.getChildren(node, false, new Stat()));
            assertCode(Code.NOAUTH, () -> stranger.getAllChildrenNumber(node));
            assertCode(Code.NOAUTH, () -> stranger.getACL(node, new Stat()));
            assertCode(Code.NOAUTH, () -> stranger.setData(node, bytes("x"), -1));
            assertCode(Code.NOAUTH, () -> stranger.setACL(node, Ids.OPEN_ACL_UNSAFE, -1));
            assertCode(Code.NOAUTH, () -> stranger.create(node + "/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            assertCode(Code.NOAUTH, () -> stranger.delete(node + "/child", -1));
            assertCode(Code.NOAUTH, () -> stranger.multi(List.of(Op.check(node, 0))));
            assertNotNull(stranger.exists(node + "/child", false), "the child's own ACL is open");
        }
        assertEquals("s", new String(owner.getData(node, false, null)));
        owner.setData(node, bytes("t"), 0);
        owner.create(node + "/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.delete(node + "/child", -1);
        assertEquals(acl(Perms.ALL, "digest", USER1), owner.getACL(node, new Stat()));
    }

    @Test
    void eachPermissionBitGuardsItsOps() throws Exception {
        RawZooKeeper zk = anonymous();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/r", bytes("r"), acl(Perms.READ, "world", "anyone"), CreateMode.PERSISTENT);
        assertEquals("r", new String(zk.getData(root + "/r", false, null)));
        assertCode(Code.NOAUTH, () -> zk.setData(root + "/r", null, -1));
        assertCode(Code.NOAUTH, () -> zk.create(root + "/r/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        assertCode(Code.NOAUTH, () -> zk.setACL(root + "/r", Ids.OPEN_ACL_UNSAFE, -1));

        zk.create(root + "/w", null, acl(Perms.WRITE, "world", "anyone"), CreateMode.PERSISTENT);
        assertEquals(1, zk.setData(root + "/w", bytes("w"), 0).getVersion());
        assertCode(Code.NOAUTH, () -> zk.getData(root + "/w", false, null));

        zk.create(root + "/c", null, acl(Perms.CREATE, "world", "anyone"), CreateMode.PERSISTENT);
        zk.create(root + "/c/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertCode(Code.NOAUTH, () -> zk.delete(root + "/c/x", -1));
        assertCode(Code.NOAUTH, () -> zk.getChildren(root + "/c", false));

        zk.create(root + "/d", null, acl(Perms.DELETE, "world", "anyone"), CreateMode.PERSISTENT);
        assertCode(Code.NOAUTH, () -> zk.create(root + "/d/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));

        zk.create(root + "/a", null, acl(Perms.ADMIN, "world", "anyone"), CreateMode.PERSISTENT);
        assertEquals(acl(Perms.ADMIN, "world", "anyone"), zk.getACL(root + "/a", new Stat()), "getACL with ADMIN only");
        assertCode(Code.NOAUTH, () -> zk.getData(root + "/a", false, null));
        zk.setACL(root + "/a", acl(Perms.DELETE | Perms.CREATE, "world", "anyone"), 0);
        zk.create(root + "/a/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete(root + "/a/x", -1);

        zk.create(root + "/none", null, acl(0, "world", "anyone"), CreateMode.PERSISTENT);
        assertCode(Code.NOAUTH, () -> zk.exists(root + "/none", false));
        assertCode(Code.NOAUTH, () -> zk.getACL(root + "/none", new Stat()));
        zk.delete(root + "/none", -1);
    }

    @Test
    void syncGetEphemeralsAndWatchOpsNeedNoPermission() throws Exception {
        RawZooKeeper zk = anonymous();
        zk.create(root, null, acl(Perms.CREATE | Perms.DELETE, "world", "anyone"), CreateMode.PERSISTENT);
        zk.create(root + "/eph", null, acl(0, "world", "anyone"), CreateMode.EPHEMERAL);
        assertEquals(List.of(root + "/eph"), zk.getEphemerals(root));
        java.util.concurrent.CompletableFuture<Integer> sync = new java.util.concurrent.CompletableFuture<>();
        zk.sync(root + "/eph", (rc, path, ctx) -> sync.complete(rc), null);
        assertEquals(0, sync.get(20, java.util.concurrent.TimeUnit.SECONDS));
        zk.addWatch(root + "/eph", org.apache.zookeeper.AddWatchMode.PERSISTENT);
        zk.removeAllWatches(root + "/eph", org.apache.zookeeper.Watcher.WatcherType.Persistent, false);
        assertCode(Code.NOAUTH, () -> zk.exists(root + "/eph", true));
        assertCode(Code.NOAUTH, () -> zk.getChildren(root, true));
        for (String path : List.of(root + "/eph", root)) {
            assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.checkWatches,
                new org.apache.zookeeper.proto.CheckWatchesRequest(path, org.apache.zookeeper.Watcher.WatcherType.Any.getIntValue()), null)
                .getErr(), "a refused read sets no watch on " + path);
        }
        zk.delete(root + "/eph", -1);
    }

    @Test
    void deleteNeedsDeleteOnTheParentNotOnTheNode() throws Exception {
        RawZooKeeper owner = authed("user1", "pw1");
        owner.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.create(root + "/locked", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        RawZooKeeper anonymous = anonymous();
        anonymous.delete(root + "/locked", -1);
        owner.sync(root); // in an ensemble the owner may be on another, not yet caught-up server
        assertNull(owner.exists(root + "/locked", false));
    }

    @Test
    void authSchemeExpandsToEveryAuthenticatedIdOfTheCaller() throws Exception {
        RawZooKeeper zk = authed("user1", "pw1");
        zk.addAuthInfo("digest", bytes("user2:pw2"));
        zk.create(root, null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        List<ACL> acls = new ArrayList<>(zk.getACL(root, new Stat()));
        acls.sort(Comparator.comparing(a -> a.getId().getId()));
        assertEquals(List.of(new ACL(Perms.ALL, new Id("digest", USER1)), new ACL(Perms.ALL, new Id("digest", USER2))), acls);
        zk.setACL(root, acl(Perms.READ | Perms.ADMIN, "auth", ""), 0);
        assertEquals(2, zk.getACL(root, new Stat()).size());
        RawZooKeeper user2 = authed("user2", "pw2");
        assertNull(user2.getData(root, false, null));
        assertCode(Code.NOAUTH, () -> user2.setData(root, null, -1));
    }

    @Test
    void invalidAclsAreRejected() throws Exception {
        RawZooKeeper zk = anonymous();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (List<ACL> bad : List.of(acl(Perms.ALL, "digest", "nocolon"), acl(Perms.ALL, "ip", "300.1.1.1"),
            acl(Perms.ALL, "nosuchscheme", "x"), acl(Perms.ALL, "auth", ""), acl(Perms.ALL, "ip", "10.0.0.0/99"))) {
            assertEquals(Code.INVALIDACL.intValue(),
                zk.submit(OpCode.create, new CreateRequest(root + "/x", null, bad, 0), new CreateResponse()).getErr(), bad.toString());
            assertCode(Code.INVALIDACL, () -> zk.setACL(root, bad, -1));
        }
        assertEquals(List.of(), zk.getChildren(root, false));
        assertEquals(0, zk.exists(root, false).getAversion(), "a rejected setACL changes nothing");
    }

    @Test
    void duplicateAclEntriesAreRemoved() throws Exception {
        RawZooKeeper zk = anonymous();
        List<ACL> twice = new ArrayList<>(Ids.OPEN_ACL_UNSAFE);
        twice.addAll(Ids.OPEN_ACL_UNSAFE);
        zk.create(root, null, twice, CreateMode.PERSISTENT);
        assertEquals(Ids.OPEN_ACL_UNSAFE, zk.getACL(root, new Stat()));
    }

    @Test
    void ipAclsMatchTheRemoteAddressByPrefix() throws Exception {
        RawZooKeeper zk = anonymous();
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/exact", bytes("e"), acl(Perms.READ, "ip", "127.0.0.1"), CreateMode.PERSISTENT);
        zk.create(root + "/net", bytes("n"), acl(Perms.READ, "ip", "127.0.0.0/8"), CreateMode.PERSISTENT);
        zk.create(root + "/other", bytes("o"), acl(Perms.READ, "ip", "10.0.0.1"), CreateMode.PERSISTENT);
        zk.create(root + "/othernet", bytes("o"), acl(Perms.READ, "ip", "10.0.0.0/8"), CreateMode.PERSISTENT);
        assertEquals("e", new String(zk.getData(root + "/exact", false, null)));
        assertEquals("n", new String(zk.getData(root + "/net", false, null)));
        assertCode(Code.NOAUTH, () -> zk.getData(root + "/other", false, null));
        assertCode(Code.NOAUTH, () -> zk.getData(root + "/othernet", false, null));
    }

    @Test
    void superUserBypassesEveryAcl() throws Exception {
        RawZooKeeper owner = authed("user1", "pw1");
        owner.create(root, null, acl(Perms.ALL, "digest", USER1), CreateMode.PERSISTENT);
        owner.create(root + "/c", bytes("c"), acl(0, "digest", USER1), CreateMode.PERSISTENT);
        RawZooKeeper superUser = authed("super", TargetConfig.SUPER_PASSWORD);
        assertEquals("c", new String(superUser.getData(root + "/c", false, null)));
        superUser.setData(root + "/c", bytes("d"), -1);
        superUser.create(root + "/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        superUser.setACL(root + "/c", Ids.OPEN_ACL_UNSAFE, -1);
        superUser.delete(root + "/c", -1);
        assertEquals(List.of("new"), superUser.getChildren(root, false));
        assertEquals(acl(Perms.ALL, "digest", USER1), superUser.getACL(root, new Stat()), "super sees digests unredacted");
        RawZooKeeper wrongSuper = authed("super", "not-it");
        assertCode(Code.NOAUTH, () -> wrongSuper.getChildren(root, false));
    }

    @Test
    void getAclRedactsDigestsForCallersWithoutAdmin() throws Exception {
        RawZooKeeper owner = authed("user1", "pw1");
        List<ACL> acls = new ArrayList<>(Arrays.asList(new ACL(Perms.ALL, new Id("digest", USER1)),
            new ACL(Perms.READ, new Id("digest", USER2)), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE)));
        owner.create(root, null, acls, CreateMode.PERSISTENT);
        assertEquals(acls, owner.getACL(root, new Stat()), "with ADMIN: unredacted");
        List<ACL> redacted = List.of(new ACL(Perms.ALL, new Id("digest", "user1:x")),
            new ACL(Perms.READ, new Id("digest", "user2:x")), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
        assertEquals(redacted, anonymous().getACL(root, new Stat()));
        assertEquals(redacted, authed("user2", "pw2").getACL(root, new Stat()));
    }

    @Test
    void whoAmIListsTheConnectionsIds() throws Exception {
        RawZooKeeper zk = anonymous();
        assertEquals(List.of(new ClientInfo("ip", "127.0.0.1")), zk.whoAmI());
        zk.addAuthInfo("digest", bytes("user1:pw1"));
        List<String> ids = zk.whoAmI().stream().map(c -> c.getAuthScheme() + "/" + c.getUser()).sorted().toList();
        assertEquals(List.of("digest/user1", "ip/127.0.0.1"), ids);
        RawZooKeeper superUser = authed("super", TargetConfig.SUPER_PASSWORD);
        List<String> superIds = superUser.whoAmI().stream().map(c -> c.getAuthScheme() + "/" + c.getUser()).sorted().toList();
        assertEquals(List.of("digest/super", "ip/127.0.0.1", "super/"), superIds);
    }

    @Test
    void authWithAnUnknownSchemeFailsTheConnection() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        zk.addAuthInfo("nosuchscheme", bytes("x"));
        events.awaitState(KeeperState.AuthFailed);
        assertEquals(org.apache.zookeeper.ZooKeeper.States.AUTH_FAILED, zk.getState());
    }
}
