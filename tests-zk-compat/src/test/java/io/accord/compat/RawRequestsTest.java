package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.DeleteContainerRequest;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.Await;
import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawMulti;
import io.accord.compat.support.RawZooKeeper;

/**
 * Requests the Java client never sends as such (other clients or broken ones may): opcode and flag
 * combinations, client-sent deleteContainer, watch flags inside multiRead, unknown watch types, the
 * empty path. Sent through the real client's connection with {@link RawZooKeeper#submit}.
 *
 * <p>Not tested, on purpose: createTTL (21) with a non-TTL mode and a negative ttl passes ZooKeeper
 * 3.9.5's checks and then kills its SyncThread (the server shuts down); no client can depend on that.
 */
class RawRequestsTest extends TargetTestBase {

    private RawZooKeeper zk() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return zk;
    }

    private static int create(RawZooKeeper zk, int op, String path, int flags) throws InterruptedException {
        return zk.submit(op, new CreateRequest(path, null, Ids.OPEN_ACL_UNSAFE, flags), op == OpCode.create ? new CreateResponse()
            : new Create2Response()).getErr();
    }

    @Test
    void theOpcodeAndTheFlagsTogetherDecideWhichCreatesAreAccepted() throws Exception {
        RawZooKeeper zk = zk();
        assertEquals(0, create(zk, OpCode.create, root + "/op1-container", CreateMode.CONTAINER.toFlag()));
        assertEquals(0, create(zk, OpCode.create2, root + "/op15-container", CreateMode.CONTAINER.toFlag()));
        assertEquals(0, create(zk, OpCode.createContainer, root + "/op19-persistent", CreateMode.PERSISTENT.toFlag()));
        assertEquals(0, create(zk, OpCode.createContainer, root + "/op19-ephemeral", CreateMode.EPHEMERAL.toFlag()));
        assertEquals(Code.BADARGUMENTS.intValue(), create(zk, OpCode.create, root + "/op1-ttl", CreateMode.PERSISTENT_WITH_TTL.toFlag()));
        assertEquals(Code.BADARGUMENTS.intValue(), create(zk, OpCode.create2, root + "/op15-ttl", CreateMode.PERSISTENT_WITH_TTL.toFlag()));
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/op21-container", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER.toFlag(), 1000),
            new Create2Response()).getErr());
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/op21-ephemeral", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL.toFlag(), 1000),
            new Create2Response()).getErr());
        List<String> made = List.of("op1-container", "op15-container", "op19-ephemeral", "op19-persistent");
        assertEquals(made, Keeper.sorted(zk.getChildren(root, false)));
        assertEquals(0, zk.exists(root + "/op19-ephemeral", false).getEphemeralOwner(), "op 19 never makes an ephemeral");
        assertEquals(List.of(), zk.getEphemerals(root));

        // Which of them are containers: give each a child and take it away. Op 19 always makes a
        // container; op 1 and op 15 with the container flag make plain persistent nodes.
        for (String name : made) {
            zk.create(root + "/" + name + "/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.delete(root + "/" + name + "/child", -1);
        }
        List<String> kept = List.of("op1-container", "op15-container");
        Await.until("op 19 nodes reaped", () -> kept.equals(children(zk, root)));
        // a container emptied afterwards is reaped by a later pass, which would have taken the others too
        zk.create(root + "/later", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/later/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete(root + "/later/child", -1);
        Await.until("a later container reaped", () -> kept.equals(children(zk, root)));
        assertEquals(kept, children(zk, root));
    }

    @Test
    void clientSentDeleteContainerDeletesAnyEmptyNonEphemeralNodeWithoutAclChecks() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root + "/container", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/full", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create(root + "/full/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/persistent", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/ttl", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 600_000);
        zk.create(root + "/ephemeral", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/locked", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/locked/container", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.setACL(root + "/locked", Ids.READ_ACL_UNSAFE, -1);
        assertEquals(0, deleteContainer(zk, root + "/container"));
        assertEquals(Code.NOTEMPTY.intValue(), deleteContainer(zk, root + "/full"));
        assertEquals(0, deleteContainer(zk, root + "/persistent"));
        assertEquals(0, deleteContainer(zk, root + "/ttl"));
        assertEquals(Code.BADVERSION.intValue(), deleteContainer(zk, root + "/ephemeral"));
        assertEquals(0, deleteContainer(zk, root + "/locked/container"), "no DELETE permission needed on the parent");
        assertEquals(Code.NONODE.intValue(), deleteContainer(zk, root + "/missing"));
        assertEquals(List.of("ephemeral", "full", "locked"), Keeper.sorted(zk.getChildren(root, false)));
        assertEquals(List.of(), zk.getChildren(root + "/locked", false));
    }

    private static List<String> children(RawZooKeeper zk, String path) {
        try {
            return Keeper.sorted(zk.getChildren(path, false));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int deleteContainer(RawZooKeeper zk, String path) throws InterruptedException {
        return zk.submit(OpCode.deleteContainer, new DeleteContainerRequest(path), null).getErr();
    }

    @Test
    void multiReadIgnoresTheWatchFlagsOfItsOps() throws Exception {
        RawZooKeeper zk = zk();
        RawMulti reads = new RawMulti().add(OpCode.getData, new GetDataRequest(root, true))
            .add(OpCode.getChildren, new GetChildrenRequest(root, true));
        assertEquals(0, zk.submit(OpCode.multiRead, reads, new MultiResponse()).getErr());
        for (int type = 1; type <= 3; type++) {
            assertEquals(Code.NOWATCHER.intValue(), zk.submit(OpCode.checkWatches, new CheckWatchesRequest(root, type), null).getErr());
        }
    }

    @Test
    void unknownWatcherTypesAreMarshallingErrors() throws Exception {
        RawZooKeeper zk = zk();
        zk.getData(root, true, null);
        assertEquals(Code.MARSHALLINGERROR.intValue(), zk.submit(OpCode.checkWatches, new CheckWatchesRequest(root, 9), null).getErr());
        assertEquals(Code.MARSHALLINGERROR.intValue(), zk.submit(OpCode.removeWatches, new RemoveWatchesRequest(root, 9), null).getErr());
        assertEquals(0, zk.submit(OpCode.checkWatches, new CheckWatchesRequest(root, 2), null).getErr(), "the watch is still there");
    }

    @Test
    void theEmptyPathReadsTheServersInternalRootNode() throws Exception {
        RawZooKeeper zk = zk();
        assertEquals(0, zk.submit(OpCode.exists, new ExistsRequest("", false), new ExistsResponse()).getErr());
        assertEquals(0, zk.submit(OpCode.getData, new GetDataRequest("", false), new GetDataResponse()).getErr());
        assertEquals(0, zk.submit(OpCode.getChildren, new GetChildrenRequest("", false), new GetChildrenResponse()).getErr());
        assertEquals(0, zk.submit(OpCode.getACL, new GetACLRequest(""), new GetACLResponse()).getErr());
    }

    @Test
    void aNulCharacterIsRejectedByExistsAndDeleteButOtherReadsJustMiss() throws Exception {
        RawZooKeeper zk = zk();
        String nul = root + "/a\u0000b";
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.exists, new ExistsRequest(nul, false), new ExistsResponse()).getErr());
        assertEquals(Code.BADARGUMENTS.intValue(),
            zk.submit(OpCode.delete, new org.apache.zookeeper.proto.DeleteRequest(nul, -1), null).getErr());
        assertEquals(Code.NONODE.intValue(), zk.submit(OpCode.getData, new GetDataRequest(nul, false), new GetDataResponse()).getErr());
    }

    @Test
    void getEphemeralsWithAnEmptyPrefixListsAllOfTheSessions() throws Exception {
        RawZooKeeper zk = zk();
        zk.create(root + "/e1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create(root + "/e2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        GetEphemeralsResponse response = new GetEphemeralsResponse();
        assertEquals(0, zk.submit(OpCode.getEphemerals, new GetEphemeralsRequest(""), response).getErr());
        assertEquals(List.of(root + "/e1", root + "/e20000000001"), Keeper.sorted(response.getEphemerals()));
        assertNotNull(zk.exists(root + "/e1", false));
        assertNull(zk.exists(root + "/e2", false));
    }
}
