package io.accord.compat;

import static io.accord.compat.support.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.OpResult.CheckResult;
import org.apache.zookeeper.OpResult.CreateResult;
import org.apache.zookeeper.OpResult.DeleteResult;
import org.apache.zookeeper.OpResult.ErrorResult;
import org.apache.zookeeper.OpResult.GetChildrenResult;
import org.apache.zookeeper.OpResult.GetDataResult;
import org.apache.zookeeper.OpResult.SetDataResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.EventLog;
import io.accord.compat.support.RawMulti;
import io.accord.compat.support.RawZooKeeper;

/** multi (14) and multiRead (22): result shapes, atomicity, zxids and watch behaviour. */
class MultiTest extends TargetTestBase {

    @Test
    void successfulMultiReturnsOneTypedResultPerOpAllAtOneZxid() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        List<OpResult> results = zk.multi(List.of(
            Op.create(root, bytes("p"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.create(root + "/c", bytes("c"), Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
            Op.create(root + "/t", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000),
            Op.create(root + "/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(root + "/c", bytes("cc"), 0),
            Op.check(root + "/c", 1),
            Op.delete(root + "/x", 0)));
        assertEquals(7, results.size());
        assertEquals(new CreateResult(root), results.get(0), "create (1) answers the path only");
        assertNull(((CreateResult) results.get(0)).getStat());
        CreateResult container = assertInstanceOf(CreateResult.class, results.get(1));
        assertEquals(root + "/c", container.getPath());
        assertNotNull(container.getStat(), "createContainer answers a Create2Response");
        CreateResult ttl = assertInstanceOf(CreateResult.class, results.get(2));
        assertEquals(root + "/t", ttl.getPath());
        assertEquals(0, ttl.getStat().getEphemeralOwner());
        assertEquals(new CreateResult(root + "/x"), results.get(3));
        SetDataResult set = assertInstanceOf(SetDataResult.class, results.get(4));
        assertInstanceOf(CheckResult.class, results.get(5));
        assertInstanceOf(DeleteResult.class, results.get(6));

        long zxid = container.getStat().getCzxid();
        assertEquals(zxid, ttl.getStat().getCzxid(), "all ops of a multi share one zxid");
        assertEquals(zxid, set.getStat().getMzxid());
        assertEquals(zxid, set.getStat().getCzxid());
        assertEquals(1, set.getStat().getVersion());
        assertEquals(container.getStat().getCtime(), set.getStat().getMtime(), "and one time");
        Stat parent = zk.exists(root, false);
        assertEquals(zxid, parent.getCzxid());
        assertEquals(zxid, parent.getPzxid());
        assertEquals(4, parent.getCversion(), "three child creates and one child delete");
        assertEquals(2, parent.getNumChildren());
    }

    @Test
    void failedMultiReportsEveryOpAndTheFirstFailure() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<Op> ops = List.of(
            Op.create(root + "/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.check(root, 7),
            Op.setData(root, bytes("x"), -1),
            Op.delete(root + "/new", -1));
        KeeperException e = assertThrows(KeeperException.BadVersionException.class, () -> zk.multi(ops));
        List<OpResult> expected = List.of(new ErrorResult(0), new ErrorResult(Code.BADVERSION.intValue()),
            new ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue()), new ErrorResult(Code.RUNTIMEINCONSISTENCY.intValue()));
        assertEquals(expected, e.getResults());

        CompletableFuture<Integer> rc = new CompletableFuture<>();
        CompletableFuture<List<OpResult>> asyncResults = new CompletableFuture<>();
        zk.multi(ops, (code, path, ctx, opResults) -> {
            asyncResults.complete(opResults);
            rc.complete(code);
        }, null);
        assertEquals(Code.BADVERSION.intValue(), rc.get(20, TimeUnit.SECONDS));
        assertEquals(expected, asyncResults.get());
        assertNull(zk.exists(root + "/new", false));
    }

    @Test
    void failedMultiChangesNothingAndFiresNoWatch() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        zk.create(root, bytes("v"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/probe", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/old", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat before = zk.exists(root, false);
        assertNull(zk.exists(root + "/new", true));
        zk.getChildren(root, true);
        zk.getData(root, true, null);
        zk.exists(root + "/old", true);

        Code code = io.accord.compat.support.Keeper.codeOf(() -> zk.multi(List.of(
            Op.create(root + "/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(root, bytes("w"), -1),
            Op.delete(root + "/old", -1),
            Op.create(root + "/probe", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));
        assertEquals(Code.NODEEXISTS, code);
        assertNull(zk.exists(root + "/new", false));
        assertNotNull(zk.exists(root + "/old", false));
        assertEquals(before, zk.exists(root, false));
        assertEquals("v", new String(zk.getData(root, false, null)));

        // Events of one connection arrive in zxid order: the first event after the failed multi must
        // be the one of this later write, so the multi fired nothing.
        zk.getData(root + "/probe", true, null);
        Stat probe = zk.setData(root + "/probe", bytes("p"), -1);
        WatchedEvent first = events.next();
        assertEquals(EventType.NodeDataChanged + " " + root + "/probe", EventLog.describe(first));
        assertEquals(probe.getMzxid(), first.getZxid());
        assertNull(events.poll());
    }

    @Test
    void multiOpsSeeEarlierOpsAndSequentialCreatesGetConsecutiveNumbers() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<OpResult> results = zk.multi(List.of(
            Op.create(root + "/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.create(root + "/p/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(root + "/p/c", bytes("d"), 0),
            Op.delete(root + "/p/c", 1),
            Op.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
            Op.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL)));
        assertEquals(new CreateResult(root + "/s-0000000002"), results.get(4));
        assertEquals(new CreateResult(root + "/s-0000000003"), results.get(5));
        assertEquals(List.of(), zk.getChildren(root + "/p", false));
        assertEquals(2, zk.exists(root + "/p", false).getCversion());
    }

    @Test
    void successfulMultiFiresEveryEventInOpOrderAtTheMultisZxid() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.exists(root + "/x", true);
        zk.getChildren(root, true);
        zk.getData(root, true, null);
        List<OpResult> results = zk.multi(List.of(
            Op.create(root + "/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.setData(root, bytes("d"), -1)));
        long zxid = ((SetDataResult) results.get(1)).getStat().getMzxid();
        for (String expected : List.of(EventType.NodeCreated + " " + root + "/x",
            EventType.NodeChildrenChanged + " " + root, EventType.NodeDataChanged + " " + root)) {
            WatchedEvent event = events.next();
            assertEquals(expected, EventLog.describe(event));
            assertEquals(zxid, event.getZxid());
        }
    }

    @Test
    void checkMatchesAnyVersionWithMinusOneAndFailsOnMissingNodes() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.setData(root, bytes("1"), -1);
        assertEquals(List.of(new CheckResult(), new CheckResult()), zk.multi(List.of(Op.check(root, -1), Op.check(root, 1))));
        KeeperException missing = assertThrows(KeeperException.NoNodeException.class,
            () -> zk.multi(List.of(Op.check(root, 1), Op.check(root + "/missing", -1))));
        assertEquals(List.of(new ErrorResult(0), new ErrorResult(Code.NONODE.intValue())), missing.getResults());
        KeeperException stale = assertThrows(KeeperException.BadVersionException.class, () -> zk.multi(List.of(Op.check(root, 0))));
        assertEquals(List.of(new ErrorResult(Code.BADVERSION.intValue())), stale.getResults());
    }

    @Test
    void emptyMultiSucceedsWithNoResults() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        assertEquals(List.of(), zk.multi(List.of()));
    }

    @Test
    void aclFailuresInsideMultiAreReportedPerOp() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/ro", null, Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/noread", null, Arrays.asList(new ACL(Perms.WRITE, Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
        KeeperException e = assertThrows(KeeperException.NoAuthException.class, () -> zk.multi(List.of(
            Op.check(root + "/ro", 0),
            Op.create(root + "/ro/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));
        assertEquals(List.of(new ErrorResult(0), new ErrorResult(Code.NOAUTH.intValue())), e.getResults());
        KeeperException check = assertThrows(KeeperException.NoAuthException.class,
            () -> zk.multi(List.of(Op.check(root + "/noread", 0))));
        assertEquals(List.of(new ErrorResult(Code.NOAUTH.intValue())), check.getResults(), "check needs READ");
        assertEquals(1, zk.multi(List.of(Op.setData(root + "/noread", null, 0))).size());
    }

    @Test
    void multiReadAnswersEveryOpAndReportsMissingNodesPerOp() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, bytes("r"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<OpResult> results = zk.multi(List.of(Op.getData(root), Op.getChildren(root), Op.getData(root + "/missing"),
            Op.getChildren(root + "/missing")));
        assertEquals(4, results.size());
        GetDataResult data = assertInstanceOf(GetDataResult.class, results.get(0));
        assertEquals("r", new String(data.getData()));
        assertEquals(zk.exists(root, false), data.getStat());
        assertEquals(List.of("a"), assertInstanceOf(GetChildrenResult.class, results.get(1)).getChildren());
        assertEquals(new ErrorResult(Code.NONODE.intValue()), results.get(2));
        assertEquals(new ErrorResult(Code.NONODE.intValue()), results.get(3));
    }

    @Test
    void mixingReadsAndWritesIsAMarshallingError() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        RawMulti mixed = new RawMulti()
            .add(OpCode.create, new CreateRequest(root + "/a", null, Ids.OPEN_ACL_UNSAFE, 0))
            .add(OpCode.getData, new GetDataRequest(root, false));
        assertEquals(Code.MARSHALLINGERROR.intValue(), zk.submit(OpCode.multi, mixed, new MultiResponse()).getErr());
        RawMulti readsInMulti = new RawMulti().add(OpCode.getData, new GetDataRequest(root, false));
        assertEquals(Code.MARSHALLINGERROR.intValue(), zk.submit(OpCode.multi, readsInMulti, new MultiResponse()).getErr());
        RawMulti writeInMultiRead = new RawMulti().add(OpCode.create, new CreateRequest(root + "/b", null, Ids.OPEN_ACL_UNSAFE, 0));
        assertEquals(Code.MARSHALLINGERROR.intValue(), zk.submit(OpCode.multiRead, writeInMultiRead, new MultiResponse()).getErr());
        assertEquals(List.of(), zk.getChildren(root, false));
    }
}
