package io.accord.zk.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ClientInfo;
import org.junit.jupiter.api.Test;

/**
 * Every jute record against the real client's jute classes ({@code org.apache.zookeeper.proto.*}): the bytes the
 * real classes write equal ours, our reader turns them into the same record, and the real reader turns our bytes
 * back into the same record.
 */
class GoldenBytesTest {
    private static final int MAX = 0xfffff;
    private static final String PATH = "/golden/päth-€";
    private static final byte[] DATA = {0, 1, 2, (byte) 0xff};
    private static final Stat STAT = new Stat(0x101L, 0x202L, 1_700_000_000_123L, 1_700_000_000_456L, 7, -2, 3,
            0x0100000aef510003L, 4, 5, 0x303L);
    private static final List<Acl> ACL = List.of(new Acl(31, Id.ANYONE),
            new Acl(1, new Id("digest", "user1:GMJqCvSAmNfv41XqBotWHO0HsNc=")), new Acl(3, new Id("ip", "10.0.0.0/8")));

    private static org.apache.zookeeper.data.Stat zkStat() {
        return new org.apache.zookeeper.data.Stat(STAT.czxid(), STAT.mzxid(), STAT.ctime(), STAT.mtime(),
                STAT.version(), STAT.cversion(), STAT.aversion(), STAT.ephemeralOwner(), STAT.dataLength(),
                STAT.numChildren(), STAT.pzxid());
    }

    private static List<org.apache.zookeeper.data.ACL> zkAcl() {
        List<org.apache.zookeeper.data.ACL> list = new ArrayList<>();
        for (Acl a : ACL) {
            list.add(new org.apache.zookeeper.data.ACL(a.perms(),
                    new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
        }
        return list;
    }

    static byte[] serialize(Record record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            record.serialize(BinaryOutputArchive.getArchive(bytes), "r");
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(JuteRecord record) {
        ByteBuf buf = Unpooled.buffer();
        try {
            record.write(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static <T extends JuteRecord> void same(Record zk, T mine, Function<JuteInput, T> reader) {
        byte[] expected = serialize(zk);
        byte[] actual = bytes(mine);
        assertArrayEquals(expected, actual, () -> mine.getClass().getSimpleName() + " bytes");
        ByteBuf in = Unpooled.wrappedBuffer(expected);
        JuteInput input = new JuteInput(in, MAX);
        assertEquals(mine, reader.apply(input), () -> mine.getClass().getSimpleName() + " read");
        assertEquals(0, input.readableBytes(), "whole record read");
        try {
            Record back = zk.getClass().getConstructor().newInstance();
            back.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(actual)), "r");
            assertArrayEquals(expected, serialize(back), () -> mine.getClass().getSimpleName() + " read by ZooKeeper");
        } catch (ReflectiveOperationException | IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void headers() {
        same(new org.apache.zookeeper.proto.RequestHeader(7, 4), new RequestHeader(7, 4), RequestHeader::read);
        same(new org.apache.zookeeper.proto.ReplyHeader(-1, 0x1234L, -101), new ReplyHeader(-1, 0x1234L, -101),
                ReplyHeader::read);
        same(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1), new MultiHeader(-1, true, -1),
                MultiHeader::read);
    }

    @Test
    void connectRecordsWithReadOnlyAre45And37Bytes() {
        byte[] pw = new byte[16];
        Arrays.fill(pw, (byte) 7);
        ConnectRequest request = new ConnectRequest(0, 0x55L, 30_000, 0x0100000aef510003L, pw, true, true);
        same(new org.apache.zookeeper.proto.ConnectRequest(0, 0x55L, 30_000, 0x0100000aef510003L, pw, true), request,
                ConnectRequest::read);
        assertEquals(45, bytes(request).length);
        ConnectResponse response = new ConnectResponse(0, 4000, 0x0100000aef510003L, pw, false, true);
        same(new org.apache.zookeeper.proto.ConnectResponse(0, 4000, 0x0100000aef510003L, pw, false), response,
                ConnectResponse::read);
        assertEquals(37, bytes(response).length);
    }

    @Test
    void connectRecordsWithoutReadOnlyAre44And36Bytes() {
        byte[] pw = new byte[16];
        ConnectRequest request = new ConnectRequest(0, 0, 30_000, 0, pw, false, false);
        byte[] zk = serialize(new org.apache.zookeeper.proto.ConnectRequest(0, 0, 30_000, 0, pw, false));
        byte[] old = Arrays.copyOf(zk, 44); // a 3.3-era client stops before the readOnly byte
        assertArrayEquals(old, bytes(request));
        assertEquals(request, ConnectRequest.read(new JuteInput(Unpooled.wrappedBuffer(old), MAX)));
        ConnectResponse response = new ConnectResponse(0, 30_000, 5, pw, false, false);
        byte[] zkResponse = serialize(new org.apache.zookeeper.proto.ConnectResponse(0, 30_000, 5, pw, false));
        assertArrayEquals(Arrays.copyOf(zkResponse, 36), bytes(response));
    }

    @Test
    void appendixAConnectRequestBytes() {
        byte[] expected = ByteBufUtil.decodeHexDump("00000000" + "0000000000000000" + "00007530"
                + "0000000000000000" + "00000010" + "00".repeat(16) + "00");
        assertArrayEquals(expected, bytes(new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true)));
    }

    @Test
    void createRequests() {
        same(new org.apache.zookeeper.proto.CreateRequest(PATH, DATA, zkAcl(), 3),
                new CreateRequest(PATH, DATA, ACL, 3), CreateRequest::read);
        same(new org.apache.zookeeper.proto.CreateRequest(PATH, null, zkAcl(), 0),
                new CreateRequest(PATH, null, ACL, 0), CreateRequest::read);
        same(new org.apache.zookeeper.proto.CreateRequest(PATH, new byte[0], null, 0),
                new CreateRequest(PATH, new byte[0], null, 0), CreateRequest::read);
        same(new org.apache.zookeeper.proto.CreateTTLRequest(PATH, DATA, zkAcl(), 5, 60_000L),
                new CreateTTLRequest(PATH, DATA, ACL, 5, 60_000L), CreateTTLRequest::read);
    }

    @Test
    void pathRequests() {
        same(new org.apache.zookeeper.proto.DeleteRequest(PATH, -1), new DeleteRequest(PATH, -1), DeleteRequest::read);
        same(new org.apache.zookeeper.proto.ExistsRequest(PATH, true), new ExistsRequest(PATH, true),
                ExistsRequest::read);
        same(new org.apache.zookeeper.proto.GetDataRequest(PATH, false), new GetDataRequest(PATH, false),
                GetDataRequest::read);
        same(new org.apache.zookeeper.proto.SetDataRequest(PATH, DATA, 4), new SetDataRequest(PATH, DATA, 4),
                SetDataRequest::read);
        same(new org.apache.zookeeper.proto.GetACLRequest(PATH), new GetACLRequest(PATH), GetACLRequest::read);
        same(new org.apache.zookeeper.proto.SetACLRequest(PATH, zkAcl(), 2), new SetACLRequest(PATH, ACL, 2),
                SetACLRequest::read);
        same(new org.apache.zookeeper.proto.GetChildrenRequest(PATH, true), new GetChildrenRequest(PATH, true),
                GetChildrenRequest::read);
        same(new org.apache.zookeeper.proto.GetChildren2Request(PATH, true), new GetChildren2Request(PATH, true),
                GetChildren2Request::read);
        same(new org.apache.zookeeper.proto.SyncRequest(PATH), new SyncRequest(PATH), SyncRequest::read);
        same(new org.apache.zookeeper.proto.CheckVersionRequest(PATH, 9), new CheckVersionRequest(PATH, 9),
                CheckVersionRequest::read);
        same(new org.apache.zookeeper.proto.ReconfigRequest("server.2=h:1:2", null, "", -1L),
                new ReconfigRequest("server.2=h:1:2", null, "", -1L), ReconfigRequest::read);
        same(new org.apache.zookeeper.proto.CheckWatchesRequest(PATH, 3), new CheckWatchesRequest(PATH, 3),
                CheckWatchesRequest::read);
        same(new org.apache.zookeeper.proto.RemoveWatchesRequest(PATH, 1), new RemoveWatchesRequest(PATH, 1),
                RemoveWatchesRequest::read);
        same(new org.apache.zookeeper.proto.GetEphemeralsRequest("/e"), new GetEphemeralsRequest("/e"),
                GetEphemeralsRequest::read);
        same(new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(PATH),
                new GetAllChildrenNumberRequest(PATH), GetAllChildrenNumberRequest::read);
        same(new org.apache.zookeeper.proto.AddWatchRequest(PATH, 1), new AddWatchRequest(PATH, 1),
                AddWatchRequest::read);
    }

    @Test
    void deleteContainerPathIsTheSameBytesAsAString() {
        byte[] path = PATH.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(serialize(new org.apache.zookeeper.proto.SyncRequest(PATH)),
                bytes(new DeleteContainerRequest(path)));
    }

    @Test
    void sessionRecords() {
        same(new org.apache.zookeeper.proto.AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8)),
                new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8)), AuthPacket::read);
        same(new org.apache.zookeeper.proto.SetWatches(0x42L, List.of("/a", "/b"), List.of(), List.of("/c")),
                new SetWatches(0x42L, List.of("/a", "/b"), List.of(), List.of("/c")), SetWatches::read);
        same(new org.apache.zookeeper.proto.SetWatches2(0x42L, List.of("/a"), List.of("/x"), List.of(),
                        List.of("/p"), List.of("/r", "/s")),
                new SetWatches2(0x42L, List.of("/a"), List.of("/x"), List.of(), List.of("/p"), List.of("/r", "/s")),
                SetWatches2::read);
        same(new org.apache.zookeeper.proto.GetSASLRequest(DATA), new GetSASLRequest(DATA), GetSASLRequest::read);
        same(new org.apache.zookeeper.proto.SetSASLResponse(null), new SetSASLResponse(null), SetSASLResponse::read);
    }

    @Test
    void responses() {
        same(new org.apache.zookeeper.proto.CreateResponse(PATH), new CreateResponse(PATH), CreateResponse::read);
        same(new org.apache.zookeeper.proto.Create2Response(PATH, zkStat()), new Create2Response(PATH, STAT),
                Create2Response::read);
        same(new org.apache.zookeeper.proto.ExistsResponse(zkStat()), new ExistsResponse(STAT), ExistsResponse::read);
        same(new org.apache.zookeeper.proto.GetDataResponse(DATA, zkStat()), new GetDataResponse(DATA, STAT),
                GetDataResponse::read);
        same(new org.apache.zookeeper.proto.GetDataResponse(null, zkStat()), new GetDataResponse(null, STAT),
                GetDataResponse::read);
        same(new org.apache.zookeeper.proto.SetDataResponse(zkStat()), new SetDataResponse(STAT),
                SetDataResponse::read);
        same(new org.apache.zookeeper.proto.GetACLResponse(zkAcl(), zkStat()), new GetACLResponse(ACL, STAT),
                GetACLResponse::read);
        same(new org.apache.zookeeper.proto.SetACLResponse(zkStat()), new SetACLResponse(STAT), SetACLResponse::read);
        same(new org.apache.zookeeper.proto.GetChildrenResponse(List.of("a", "b-0000000001")),
                new GetChildrenResponse(List.of("a", "b-0000000001")), GetChildrenResponse::read);
        same(new org.apache.zookeeper.proto.GetChildren2Response(List.of(), zkStat()),
                new GetChildren2Response(List.of(), STAT), GetChildren2Response::read);
        same(new org.apache.zookeeper.proto.SyncResponse(PATH), new SyncResponse(PATH), SyncResponse::read);
        same(new org.apache.zookeeper.proto.ErrorResponse(0), new ErrorResponse(0), ErrorResponse::read);
        same(new org.apache.zookeeper.proto.GetEphemeralsResponse(List.of("/e1", "/e2")),
                new GetEphemeralsResponse(List.of("/e1", "/e2")), GetEphemeralsResponse::read);
        same(new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(12), new GetAllChildrenNumberResponse(12),
                GetAllChildrenNumberResponse::read);
        same(new org.apache.zookeeper.proto.WatcherEvent(3, 3, PATH), new WatcherEvent(3, 3, PATH),
                WatcherEvent::read);
        same(new org.apache.zookeeper.proto.WhoAmIResponse(List.of(new ClientInfo("digest", "super"),
                        new ClientInfo("super", ""), new ClientInfo("ip", "127.0.0.1"))),
                new WhoAmIResponse(List.of(new io.accord.zk.proto.ClientInfo("digest", "super"),
                        new io.accord.zk.proto.ClientInfo("super", ""),
                        new io.accord.zk.proto.ClientInfo("ip", "127.0.0.1"))), WhoAmIResponse::read);
    }

    @Test
    void multiRequest() {
        List<org.apache.zookeeper.Op> zkOps = List.of(
                org.apache.zookeeper.Op.create("/m", DATA, zkAcl(), CreateMode.PERSISTENT_SEQUENTIAL),
                org.apache.zookeeper.Op.create("/c", null, zkAcl(), CreateMode.CONTAINER),
                org.apache.zookeeper.Op.create("/t", DATA, zkAcl(), CreateMode.PERSISTENT_WITH_TTL, 5000L),
                org.apache.zookeeper.Op.delete("/m", 3),
                org.apache.zookeeper.Op.setData("/m", DATA, -1),
                org.apache.zookeeper.Op.check("/m", 2));
        MultiRequest mine = new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/m", DATA, ACL, 2)),
                new MultiRequest.Op(OpCode.CREATE_CONTAINER, new CreateRequest("/c", null, ACL, 4)),
                new MultiRequest.Op(OpCode.CREATE_TTL, new CreateTTLRequest("/t", DATA, ACL, 5, 5000L)),
                new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/m", 3)),
                new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest("/m", DATA, -1)),
                new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest("/m", 2))));
        same(new MultiOperationRecord(zkOps), mine, MultiRequest::read);
        MultiRequest reads = new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest("/", false)),
                new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest("/m", false))));
        same(new MultiOperationRecord(List.of(org.apache.zookeeper.Op.getChildren("/"),
                org.apache.zookeeper.Op.getData("/m"))), reads, MultiRequest::read);
        same(new MultiOperationRecord(List.of()), new MultiRequest(List.of()), MultiRequest::read);
    }

    @Test
    void multiResponse() {
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        zk.add(new OpResult.CreateResult("/m0000000001"));
        zk.add(new OpResult.CreateResult("/c", zkStat()));
        zk.add(new OpResult.DeleteResult());
        zk.add(new OpResult.SetDataResult(zkStat()));
        zk.add(new OpResult.CheckResult());
        zk.add(new OpResult.ErrorResult(-103));
        zk.add(new OpResult.GetDataResult(DATA, zkStat()));
        zk.add(new OpResult.GetChildrenResult(List.of("x")));
        MultiResponse mine = new MultiResponse(List.of(
                new MultiResponse.Result(1, 0, new CreateResponse("/m0000000001")),
                new MultiResponse.Result(15, 0, new Create2Response("/c", STAT)),
                new MultiResponse.Result(2, 0, null),
                new MultiResponse.Result(5, 0, new SetDataResponse(STAT)),
                new MultiResponse.Result(13, 0, null),
                MultiResponse.Result.error(-103),
                new MultiResponse.Result(4, 0, new GetDataResponse(DATA, STAT)),
                new MultiResponse.Result(8, 0, new GetChildrenResponse(List.of("x")))));
        same(zk, mine, MultiResponse::read);
        assertEquals(ZooDefs.OpCode.create2, 15);
    }
}
