package io.accord.compat;

import static io.accord.compat.support.Keeper.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.EventLog;
import io.accord.compat.support.Keeper;
import io.accord.compat.support.RawZooKeeper;

/** Per-session FIFO with pipelined requests, reads after writes, data size limits, non-ASCII paths. */
class OrderingAndLimitsTest extends TargetTestBase {

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndReadsSeeTheSessionsEarlierWrites() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int n = 200;
        List<String> completions = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(4 * n);
        for (int i = 0; i < n; i++) {
            String path = root + "/n" + i;
            byte[] value = ("v" + i).getBytes(StandardCharsets.UTF_8);
            int index = i;
            zk.create(path, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, (rc, p, ctx, name) -> {
                completions.add(index + " create " + rc);
                done.countDown();
            }, null);
            zk.setData(path, value, 0, (rc, p, ctx, stat) -> {
                completions.add(index + " setData " + rc + " v" + (stat == null ? "?" : stat.getVersion()));
                done.countDown();
            }, null);
            zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                completions.add(index + " getData " + rc + " " + (data == null ? "null" : new String(data, StandardCharsets.UTF_8)));
                done.countDown();
            }, null);
            zk.sync(path, (rc, p, ctx) -> {
                completions.add(index + " sync " + rc);
                done.countDown();
            }, null);
        }
        done.await(60, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i + " create 0");
            expected.add(i + " setData 0 v1");
            expected.add(i + " getData 0 v" + i);
            expected.add(i + " sync 0");
        }
        assertEquals(expected, completions);
    }

    @Test
    void dataJustUnderTheOneMegabyteLimitRoundTrips() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        byte[] big = new byte[1_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        zk.create(root, big, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        assertArrayEquals(big, zk.getData(root, false, stat));
        assertEquals(big.length, stat.getDataLength());
    }

    @Test
    void aRequestOverJuteMaxbufferDropsTheConnectionButNotTheSession() throws Exception {
        EventLog events = new EventLog();
        RawZooKeeper zk = clients.connect(target.connectString(), events);
        zk.create(root, new byte[] {1}, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long session = zk.getSessionId();
        assertCode(Code.CONNECTIONLOSS, () -> zk.setData(root, new byte[1024 * 1024], -1));
        events.awaitState(KeeperState.Disconnected);
        events.awaitState(KeeperState.SyncConnected);
        assertEquals(session, zk.getSessionId());
        assertArrayEquals(new byte[] {1}, zk.getData(root, false, null), "the oversized write was not applied");
    }

    @Test
    void nonAsciiNamesRoundTripAndSurrogatesAreRejected() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String name = "ü-π-日本-\u00a0x";
        assertEquals(root + "/" + name, zk.create(root + "/" + name, "ß".getBytes(StandardCharsets.UTF_8), Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT));
        assertEquals(List.of(name), zk.getChildren(root, false));
        assertEquals("ß", new String(zk.getData(root + "/" + name, false, null), StandardCharsets.UTF_8));
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.create,
            new CreateRequest(root + "/\uD83D\uDE00", null, Ids.OPEN_ACL_UNSAFE, 0), new CreateResponse()).getErr());
        assertEquals(Code.BADARGUMENTS.intValue(), zk.submit(OpCode.create,
            new CreateRequest(root + "/a\u0000b", null, Ids.OPEN_ACL_UNSAFE, 0), new CreateResponse()).getErr());
        assertEquals(Code.NONODE.intValue(), zk.submit(OpCode.exists,
            new org.apache.zookeeper.proto.ExistsRequest(root + "/\uD83D\uDE00", false), new org.apache.zookeeper.proto.ExistsResponse()).getErr());
        assertEquals(List.of(name), Keeper.sorted(zk.getChildren(root, false)));
    }
}
