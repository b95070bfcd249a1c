package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.SetSASLResponse;
import org.apache.zookeeper.proto.WhoAmIResponse;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.RawSocket;
import io.accord.compat.support.RawSocket.Reply;

/**
 * Wire details the ZooKeeper client library hides, checked frame by frame over a plain socket against every
 * target, the real ZooKeeper 3.9.5 included: handshake lengths, a client ahead of the server, reconnects with an
 * unknown session or a wrong password, ping and auth
 * xids and zxids, sasl without SASL, unknown and internal opcodes, unreadable bodies. Zxids are compared by order
 * only (another session of the suite may expire and use one meanwhile).
 */
class WireProtocolTest extends TargetTestBase {

    private static final int XID = 5;

    private RawSocket open() throws Exception {
        return clients.register(new RawSocket(target.connectString()));
    }

    /** A connection with a new session (45-byte handshake). */
    private RawSocket session() throws Exception {
        RawSocket socket = open();
        socket.handshake();
        return socket;
    }

    /** The zxid the server reports for a read right now on {@code socket} (exists "/"). */
    private static long readZxid(RawSocket socket, int xid) throws Exception {
        socket.send(RawSocket.request(xid, OpCode.exists, new ExistsRequest("/", false)));
        Reply reply = socket.readReply();
        assertEquals(xid, reply.xid());
        assertEquals(0, reply.err());
        return reply.zxid();
    }

    /** A request frame of {@code type} whose body is exactly {@code body} (possibly too short to read). */
    private static byte[] rawRequest(int xid, int type, byte[] body) {
        return RawSocket.frame(ByteBuffer.allocate(8 + body.length).putInt(xid).putInt(type).put(body).array());
    }

    @Test
    void theConnectResponseHasTheReadOnlyByteOnlyIfTheRequestHadIt() throws Exception {
        for (boolean readOnlyByte : new boolean[] {false, true}) {
            byte[] request = RawSocket.newSession(readOnlyByte);
            assertEquals(readOnlyByte ? 45 : 44, request.length);
            RawSocket socket = open();
            socket.send(RawSocket.frame(request));
            byte[] payload = socket.readPayload();
            assertEquals(readOnlyByte ? 37 : 36, payload.length, "response to a " + request.length + "-byte request");
            ConnectResponse response = RawSocket.connectResponse(payload);
            assertEquals(0, response.getProtocolVersion());
            assertEquals(30_000, response.getTimeOut());
            assertNotEquals(0, response.getSessionId());
            assertEquals(16, response.getPasswd().length);
            assertEquals(false, response.getReadOnly());
            assertTrue(readZxid(socket, 1) > 0, "the session is usable");
        }
    }

    @Test
    void aClientThatHasSeenALaterZxidIsClosedWithoutAReply() throws Exception {
        long now = readZxid(session(), 1);
        RawSocket caughtUp = open();
        caughtUp.send(RawSocket.frame(RawSocket.connectRequest(now, 30_000, 0, new byte[16], true)));
        assertEquals(37, caughtUp.readPayload().length, "lastZxidSeen equal to the server's is fine");
        for (long ahead : new long[] {now + 1000, Long.MAX_VALUE / 2}) {
            for (boolean readOnlyByte : new boolean[] {false, true}) {
                RawSocket socket = open();
                socket.send(RawSocket.frame(RawSocket.connectRequest(ahead, 30_000, 0, new byte[16], readOnlyByte)));
                assertNull(socket.readPayload(), "lastZxidSeen 0x" + Long.toHexString(ahead));
            }
        }
    }

    @Test
    void anUnknownSessionGetsTimeoutZeroInTheRequestsLengthThenTheConnectionCloses() throws Exception {
        for (boolean readOnlyByte : new boolean[] {false, true}) {
            RawSocket socket = open();
            socket.send(RawSocket.frame(RawSocket.connectRequest(0, 30_000, 0x0100000000000042L, new byte[16], readOnlyByte)));
            byte[] payload = socket.readPayload();
            assertEquals(readOnlyByte ? 37 : 36, payload.length);
            ConnectResponse expired = RawSocket.connectResponse(payload);
            assertEquals(0, expired.getTimeOut(), "timeout 0: the client reports the session expired");
            assertEquals(0, expired.getSessionId(), "never a new session");
            assertArrayEquals(new byte[16], expired.getPasswd());
            assertTrue(socket.closedByServer());
        }
    }

    @Test
    void aWrongPasswordGetsTimeoutZeroAndClosesTheSessionsLiveConnectionButNotTheSession() throws Exception {
        RawSocket first = open();
        ConnectResponse created = first.handshake();
        byte[] wrong = created.getPasswd().clone();
        wrong[0] ^= 1;
        RawSocket second = open();
        second.send(RawSocket.frame(RawSocket.connectRequest(0, 30_000, created.getSessionId(), wrong, true)));
        ConnectResponse refused = RawSocket.connectResponse(second.readPayload());
        assertEquals(0, refused.getTimeOut());
        assertEquals(0, refused.getSessionId());
        assertTrue(second.closedByServer());
        assertTrue(first.closedByServer(), "the live connection of the session is closed first");
        RawSocket third = open();
        third.send(RawSocket.frame(RawSocket.connectRequest(0, 30_000, created.getSessionId(), created.getPasswd(), true)));
        ConnectResponse resumed = RawSocket.connectResponse(third.readPayload());
        assertEquals(created.getSessionId(), resumed.getSessionId(), "the session survived");
        assertArrayEquals(created.getPasswd(), resumed.getPasswd());
        assertEquals(30_000, resumed.getTimeOut());
        readZxid(third, 1);
    }

    @Test
    void everyPingIsAnsweredInOrderWithXidMinusTwoWhateverXidItCarried() throws Exception {
        RawSocket socket = session();
        long before = readZxid(socket, 1);
        int[] xids = {-2, 1234, 0, -4};
        for (int xid : xids) {
            socket.send(RawSocket.request(xid, OpCode.ping, null));
        }
        socket.send(RawSocket.request(2, OpCode.exists, new ExistsRequest("/", false)));
        for (int xid : xids) {
            Reply ping = socket.readReply();
            assertEquals(-2, ping.xid(), "reply to a ping with xid " + xid);
            assertEquals(0, ping.err());
            assertEquals(0, ping.body().length);
            assertTrue(ping.zxid() >= before, "the server's last zxid: " + ping);
        }
        Reply after = socket.readReply();
        assertEquals(2, after.xid(), "the ping replies came before the later request's");
        assertTrue(after.zxid() >= before);
    }

    @Test
    void authRepliesEchoTheXidWithZxidZero() throws Exception {
        RawSocket socket = session();
        readZxid(socket, 1);
        socket.send(RawSocket.request(-4, OpCode.auth, new AuthPacket(0, "digest", bytes("alice:pw"))),
            RawSocket.request(7, OpCode.auth, new AuthPacket(0, "digest", bytes("bob:pw"))),
            RawSocket.request(8, OpCode.whoAmI, null));
        for (int xid : new int[] {-4, 7}) {
            Reply auth = socket.readReply();
            assertEquals(xid, auth.xid());
            assertEquals(0, auth.zxid());
            assertEquals(0, auth.err());
            assertEquals(0, auth.body().length);
        }
        Reply whoAmI = socket.readReply();
        assertEquals(8, whoAmI.xid());
        List<String> ids = whoAmI.read(new WhoAmIResponse()).getClientInfo().stream()
            .map(info -> info.getAuthScheme() + ":" + info.getUser()).sorted().toList();
        assertEquals(List.of("digest:alice", "digest:bob", "ip:127.0.0.1"), ids);
    }

    @Test
    void authWithASchemeTheServerDoesNotAuthenticateFailsAndCloses() throws Exception {
        for (String scheme : List.of("kerberos", "world", "super", "auth", "")) {
            RawSocket socket = session();
            socket.send(RawSocket.request(-4, OpCode.auth, new AuthPacket(0, scheme, bytes("anyone"))));
            Reply failed = socket.readReply();
            assertEquals(-4, failed.xid(), scheme);
            assertEquals(0, failed.zxid(), scheme);
            assertEquals(Code.AUTHFAILED.intValue(), failed.err(), scheme);
            assertTrue(socket.closedByServer(), "closed after auth with scheme '" + scheme + "'");
        }
    }

    @Test
    void saslWithoutSaslConfiguredIsOkWithANullTokenAndZxidZero() throws Exception {
        RawSocket socket = session();
        socket.send(RawSocket.request(1, OpCode.sasl, new GetSASLRequest(new byte[] {1, 2, 3})),
            RawSocket.request(2, OpCode.sasl, new GetSASLRequest(new byte[0])));
        for (int xid = 1; xid <= 2; xid++) {
            Reply sasl = socket.readReply();
            assertEquals(xid, sasl.xid());
            assertEquals(0, sasl.zxid());
            assertEquals(0, sasl.err());
            assertArrayEquals(new byte[] {-1, -1, -1, -1}, sasl.body(), "a null token");
            assertNull(sasl.read(new SetSASLResponse()).getToken());
        }
        readZxid(socket, 3); // still serving
    }

    /**
     * A connection the server closes after a reply (here to closeSession) still delivers every reply queued
     * before it to a client that reads slowly: 20 MiB of getData replies, far beyond the socket buffers, sent
     * while the client reads nothing. (Not with an unknown opcode: ZooKeeper answers that one on the thread that
     * reads it, so its reply and the close can overtake the replies before it, or not, as threads run.)
     */
    @Test
    void repliesQueuedBeforeTheCloseOfASessionAllArriveAtASlowReader() throws Exception {
        byte[] value = new byte[512 * 1024];
        java.util.Arrays.fill(value, (byte) 7);
        RawSocket socket = session();
        socket.send(RawSocket.request(1, OpCode.create, new org.apache.zookeeper.proto.CreateRequest(root, value,
            org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, 0)));
        assertEquals(0, socket.readReply().err());
        int gets = 40;
        byte[][] requests = new byte[gets + 1][];
        for (int i = 0; i < gets; i++) {
            requests[i] = RawSocket.request(2 + i, OpCode.getData, new org.apache.zookeeper.proto.GetDataRequest(root, false));
        }
        requests[gets] = RawSocket.request(XID, OpCode.closeSession, null);
        socket.send(requests);
        Thread.sleep(1000); // the slow reader: nothing is read while the server writes and closes
        for (int i = 0; i < gets; i++) {
            Reply reply = socket.readReply();
            assertTrue(reply != null, "reply " + i + " of " + gets + " lost");
            assertEquals(2 + i, reply.xid());
            assertEquals(0, reply.err());
            assertArrayEquals(value, reply.read(new org.apache.zookeeper.proto.GetDataResponse()).getData());
        }
        Reply last = socket.readReply();
        assertEquals(XID, last.xid());
        assertEquals(0, last.err());
        assertTrue(socket.closedByServer());
    }

    @Test
    void unknownOpcodesAreUnimplementedWithZxidMinusOneThenClosed() throws Exception {
        // 0 is the notification type, 10 was never defined, -1 is the error txn type, -2 and -12 are unused,
        // 13 (check) is only valid inside multi
        for (int type : new int[] {0, 10, 13, 23, 99, 108, 1000, -1, -2, -12}) {
            RawSocket socket = session();
            socket.send(type == OpCode.check ? RawSocket.request(XID, type, new CheckVersionRequest("/", -1))
                : RawSocket.request(XID, type, null));
            Reply reply = socket.readReply();
            assertEquals(XID, reply.xid(), "opcode " + type);
            assertEquals(-1, reply.zxid(), "opcode " + type);
            assertEquals(Code.UNIMPLEMENTED.intValue(), reply.err(), "opcode " + type);
            assertEquals(0, reply.body().length);
            assertTrue(socket.closedByServer(), "closed after opcode " + type);
        }
    }

    @Test
    void createSessionSentByTheClientUsesAZxidAndKeepsTheConnection() throws Exception {
        for (boolean readOnlyByte : new boolean[] {false, true}) {
            RawSocket socket = open();
            socket.send(RawSocket.frame(RawSocket.newSession(readOnlyByte)));
            byte[] handshake = socket.readPayload();
            long before = readZxid(socket, 1);
            // without a timeout in the body: MARSHALLINGERROR, and the zxid is a new one
            socket.send(rawRequest(XID, OpCode.createSession, new byte[] {0, 0}));
            Reply shortBody = socket.readReply();
            assertEquals(XID, shortBody.xid());
            assertEquals(Code.MARSHALLINGERROR.intValue(), shortBody.err());
            assertTrue(shortBody.zxid() > before, "a zxid was used: " + shortBody + " after " + before);
            long afterShort = readZxid(socket, 6);
            assertTrue(afterShort >= shortBody.zxid());
            // with one: the connection's ConnectResponse again, not a reply; the timeout sent is ignored
            socket.send(rawRequest(7, OpCode.createSession, new byte[] {0, 0, 0, 5}));
            assertArrayEquals(handshake, socket.readPayload(), "the same ConnectResponse, readOnly byte " + readOnlyByte);
            assertTrue(readZxid(socket, 8) > afterShort, "a zxid was used");
        }
    }

    @Test
    void anUnreadableAuthOrSaslBodyClosesWithoutAReplyOtherOpsGetMarshallingError() throws Exception {
        for (int type : new int[] {OpCode.auth, OpCode.sasl}) {
            RawSocket socket = session();
            socket.send(rawRequest(XID, type, new byte[] {0, 0}));
            assertNull(socket.readPayload(), "opcode " + type);
        }
        for (int type : new int[] {OpCode.getData, OpCode.create, OpCode.setWatches, OpCode.setWatches2, OpCode.multi,
            OpCode.addWatch}) {
            RawSocket socket = session();
            socket.send(rawRequest(XID, type, new byte[] {0, 0}));
            Reply reply = socket.readReply();
            assertEquals(XID, reply.xid(), "opcode " + type);
            assertEquals(Code.MARSHALLINGERROR.intValue(), reply.err(), "opcode " + type);
            assertEquals(0, reply.body().length);
            readZxid(socket, 6); // still serving
        }
    }

    @Test
    void aPingWithABodyAndACloseSessionWithABodyAreAnsweredAsWithout() throws Exception {
        RawSocket socket = session();
        socket.send(rawRequest(XID, OpCode.ping, new byte[] {1, 2, 3}));
        assertEquals(-2, socket.readReply().xid());
        socket.send(rawRequest(XID, OpCode.closeSession, new byte[] {1, 2, 3}));
        Reply closed = socket.readReply();
        assertEquals(XID, closed.xid());
        assertEquals(0, closed.err());
        assertTrue(socket.closedByServer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
