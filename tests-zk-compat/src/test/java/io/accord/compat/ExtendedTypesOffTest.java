package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawZooKeeper;

/**
 * TTL nodes with {@code zookeeper.extendedTypesEnabled} off (ZooKeeper's default): every target of this suite
 * runs with the switch off (the real ZooKeeper through the JVM-wide property, which its target restores on
 * close). A TTL create mode is UNIMPLEMENTED whatever the opcode, and checked before the TTL value.
 */
class ExtendedTypesOffTest extends TargetTestBase {

    @Override
    protected TargetConfig config() {
        return TargetConfig.defaults().withExtendedTypes(false);
    }

    private RawZooKeeper zk() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return zk;
    }

    @Test
    void ttlCreateModesAreUnimplementedAndLeaveNoTrace() throws Exception {
        RawZooKeeper zk = zk();
        Stat before = zk.exists(root, false);
        for (CreateMode mode : List.of(CreateMode.PERSISTENT_WITH_TTL, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL)) {
            KeeperException e = assertThrows(KeeperException.class,
                () -> zk.create(root + "/ttl", null, Ids.OPEN_ACL_UNSAFE, mode, new Stat(), 60_000));
            assertEquals(Code.UNIMPLEMENTED, e.code(), mode.name());
        }
        Stat after = zk.exists(root, false);
        assertEquals(List.of(), zk.getChildren(root, false));
        assertEquals(before.getCversion(), after.getCversion(), "no sequence number used");
        assertEquals(before.getPzxid(), after.getPzxid());
        // the other modes are not affected by the switch
        zk.create(root + "/container", null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        String seq = zk.create(root + "/seq-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, new Stat(), -1);
        assertEquals(root + "/seq-0000000001", seq);
        assertEquals(zk.getSessionId(), zk.exists(zk.create(root + "/eph", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL),
            false).getEphemeralOwner());
    }

    @Test
    void aFailedTtlCreateStillUsesAZxid() throws Exception {
        RawZooKeeper zk = zk();
        Stat first = new Stat();
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, first);
        assertThrows(KeeperException.UnimplementedException.class,
            () -> zk.create(root + "/ttl", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 1000));
        Stat second = new Stat();
        zk.create(root + "/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, second);
        assertEquals(first.getCzxid() + 2, second.getCzxid());
    }

    @Test
    void theModeIsCheckedBeforeTheOpcodeAndTheTtl() throws Exception {
        RawZooKeeper zk = zk();
        int ttlFlag = CreateMode.PERSISTENT_WITH_TTL.toFlag();
        // with extended types on, these three are BADARGUMENTS (RawRequestsTest): the switch is checked first
        assertEquals(Code.UNIMPLEMENTED.intValue(), zk.submit(OpCode.create,
            new CreateRequest(root + "/op1", null, Ids.OPEN_ACL_UNSAFE, ttlFlag), new CreateResponse()).getErr());
        assertEquals(Code.UNIMPLEMENTED.intValue(), zk.submit(OpCode.create2,
            new CreateRequest(root + "/op15", null, Ids.OPEN_ACL_UNSAFE, ttlFlag), new Create2Response()).getErr());
        assertEquals(Code.UNIMPLEMENTED.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/zero", null, Ids.OPEN_ACL_UNSAFE, ttlFlag, 0), new Create2Response()).getErr());
        // a non-TTL mode on createTTL is refused as it is with the switch on
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.createTTL,
            new CreateTTLRequest(root + "/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.toFlag(), 1000),
            new Create2Response()).getErr());
        assertEquals(List.of(), zk.getChildren(root, false));
    }

    @Test
    void aTtlCreateInsideMultiFailsTheWholeMulti() throws Exception {
        RawZooKeeper zk = zk();
        KeeperException e = assertThrows(KeeperException.class, () -> zk.multi(List.of(
            Op.create(root + "/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.create(root + "/ttl", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 1000))));
        assertEquals(Code.UNIMPLEMENTED, e.code());
        List<Integer> codes = e.getResults().stream().map(r -> ((OpResult.ErrorResult) r).getErr()).toList();
        assertEquals(List.of(Code.OK.intValue(), Code.UNIMPLEMENTED.intValue()), codes, "the op before the failing one says OK");
        assertEquals(List.of(), Keeper.sorted(zk.getChildren(root, false)), "nothing applied");
    }
}
