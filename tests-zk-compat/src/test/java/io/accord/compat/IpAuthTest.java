package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.EventLog;
import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawZooKeeper;

/**
 * {@code addAuth("ip", ...)} through the real client: ZooKeeper's ip provider ignores the bytes sent and succeeds,
 * giving the connection the id of its remote address, which it already had; so whatever is claimed, nothing changes
 * (no new id, no failure, no extra rights), and ip still does not count as "authenticated" for {@code auth} ACLs.
 */
class IpAuthTest extends TargetTestBase {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A mutable list: the client's ACL check calls {@code contains(null)}, which List.of refuses. */
    private static List<ACL> acl(int perms, String scheme, String id) {
        return new ArrayList<>(List.of(new ACL(perms, new Id(scheme, id))));
    }

    private static List<String> ids(RawZooKeeper zk) throws Exception {
        return zk.whoAmI().stream().map(c -> c.getAuthScheme() + ":" + c.getUser()).sorted().toList();
    }

    @Test
    void addAuthIpSucceedsWhateverItClaimsAndAddsNoId() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        for (String claim : List.of("10.0.0.1", "127.0.0.1", "not an address", "")) {
            zk.addAuthInfo("ip", bytes(claim));
        }
        zk.create(root, bytes("r"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); // after the auth packets, in order
        assertEquals(List.of("ip:127.0.0.1"), ids(zk));
        assertEquals(List.of(KeeperState.SyncConnected), events.history().stream()
            .filter(e -> e.getType() == EventType.None).map(e -> e.getState()).toList(), "no AuthFailed");
    }

    @Test
    void addAuthIpGrantsNothingBeyondTheRemoteAddress() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/other", bytes("o"), acl(Perms.READ, "ip", "10.0.0.1"), CreateMode.PERSISTENT);
        zk.create(root + "/local", bytes("l"), acl(Perms.READ, "ip", "127.0.0.1"), CreateMode.PERSISTENT);
        zk.addAuthInfo("ip", bytes("10.0.0.1"));
        assertEquals(Code.NOAUTH, Keeper.codeOf(() -> zk.getData(root + "/other", false, null)));
        assertArrayEquals(bytes("l"), zk.getData(root + "/local", false, null));
    }

    @Test
    void anAuthAclStillNeedsAnAuthenticatedIdAfterAddAuthIp() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.addAuthInfo("ip", bytes("127.0.0.1"));
        assertEquals(Code.INVALIDACL,
            Keeper.codeOf(() -> zk.create(root + "/mine", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT)));
        zk.addAuthInfo("digest", bytes("user1:pw1"));
        zk.create(root + "/mine", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        assertEquals(acl(Perms.ALL, "digest", TargetConfig.digestId("user1", "pw1")), zk.getACL(root + "/mine", null),
            "the auth ACL became the digest id only, not the ip one");
        assertEquals(List.of("digest:user1", "ip:127.0.0.1"), ids(zk));
    }
}
