package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.zk.proto.AuthPacket;
import io.accord.zk.proto.CheckVersionRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ErrorResponse;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.ExistsResponse;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.GetDataResponse;
import io.accord.zk.proto.AddWatchRequest;
import io.accord.zk.proto.MultiRequest;
import io.accord.zk.proto.MultiResponse;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.ReconfigRequest;
import io.accord.zk.proto.RequestHeader;
import io.accord.zk.proto.SetSASLResponse;
import io.accord.zk.proto.SetWatches;
import io.accord.zk.proto.SyncRequest;
import io.accord.zk.proto.SyncResponse;
import io.accord.zk.proto.WatcherEvent;
import io.accord.zk.proto.GetSASLRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wire-level behaviour checked with a hand-written jute client (PROTOCOL.md 2, 3, appendix A). */
class RawProtocolTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.fourLetterWordWhitelist("*"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient session() throws Exception {
        RawClient client = new RawClient(server.port());
        ConnectResponse response = client.connect(RawClient.newSession(true));
        assertNotNull(response);
        return client;
    }

    @Test
    void handshakeMirrorsTheReadOnlyByteAndClampsTheTimeout() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.frame(new ConnectRequest(0, 0, 1000, 0, new byte[16], false, true)));
            byte[] payload = client.readPayload();
            assertEquals(37, payload.length);
        }
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.frame(new ConnectRequest(0, 0, 1_000_000, 0, new byte[16], false, false)));
            byte[] payload = client.readPayload();
            assertEquals(36, payload.length);
            ConnectResponse response = ConnectResponse.read(
                    new io.accord.zk.jute.JuteInput(io.netty.buffer.Unpooled.wrappedBuffer(payload), 100));
            assertEquals(40_000, response.timeOut());
            assertNotEquals(0, response.sessionId());
            assertEquals(16, response.passwd().length);
        }
        try (RawClient client = new RawClient(server.port())) {
            assertEquals(4000, client.connect(new ConnectRequest(0, 0, -5, 0, new byte[16], false, true)).timeOut());
        }
    }

    @Test
    void clientAheadOfTheReplicaIsClosedWithoutAReply() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.frame(new ConnectRequest(0, Long.MAX_VALUE / 2, 30_000, 0, new byte[16], false,
                    true)));
            assertNull(client.readPayload());
        }
    }

    @Test
    void reconnectWithAWrongPasswordGetsTimeoutZeroAndKillsTheLiveConnection() throws Exception {
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            ConnectResponse created = first.connect(RawClient.newSession(true));
            byte[] wrong = created.passwd().clone();
            wrong[0] ^= 1;
            ConnectResponse expired = second.connect(new ConnectRequest(0, 0, 30_000, created.sessionId(), wrong,
                    false, true));
            assertEquals(ConnectResponse.expired(true), expired);
            assertTrue(second.closedByServer());
            assertTrue(first.closedByServer());
            // the session itself survives: the right password resumes it with the same id and password
            try (RawClient third = new RawClient(server.port())) {
                ConnectResponse resumed = third.connect(new ConnectRequest(0, 0, 30_000, created.sessionId(),
                        created.passwd(), false, true));
                assertEquals(created.sessionId(), resumed.sessionId());
                assertArrayEquals(created.passwd(), resumed.passwd());
            }
        }
    }

    @Test
    void unknownSessionGetsTimeoutZeroNeverANewId() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            ConnectResponse response = client.connect(new ConnectRequest(0, 0, 30_000, 0x0100000000000042L,
                    new byte[16], false, false));
            assertEquals(ConnectResponse.expired(false), response);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void pingReplyAlwaysUsesXidMinusTwo() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1234, 11));
            RawClient.Frame frame = client.readFrame();
            assertEquals(-2, frame.header().xid());
            assertEquals(0, frame.header().err());
            assertEquals(0, frame.body().length);
        }
    }

    @Test
    void pipelinedConnectAuthSetWatchesAndRequestAreAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.frame(RawClient.newSession(true)),
                    RawClient.request(-4, 100, new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8))),
                    RawClient.request(-8, 101, new SetWatches(0, List.of(), List.of("/pipelined-nothing"), List.of())),
                    RawClient.request(1, 3, new ExistsRequest("/", false)));
            assertNotNull(client.readConnectResponse());
            assertEquals(-4, client.readFrame().header().xid());
            assertEquals(-8, client.readFrame().header().xid());
            RawClient.Frame exists = client.readFrame();
            assertEquals(1, exists.header().xid());
            assertEquals(0, exists.header().err());
            assertEquals(68, exists.body().length);
        }
    }

    @Test
    void xidsAreEchoedEvenZeroNegativeAndDuplicates() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(0, 3, new ExistsRequest("/", false)),
                    RawClient.request(-7, 3, new ExistsRequest("/", false)),
                    RawClient.request(-7, 3, new ExistsRequest("/nope", false)));
            assertEquals(0, client.readFrame().header().xid());
            assertEquals(-7, client.readFrame().header().xid());
            RawClient.Frame third = client.readFrame();
            assertEquals(-7, third.header().xid());
            assertEquals(-101, third.header().err());
            assertEquals(0, third.body().length);
        }
    }

    @Test
    void unknownOpcodeGetsUnimplementedWithZxidMinusOneThenClose() throws Exception {
        for (int op : new int[] {99, 0, 10, -1, 108}) {
            try (RawClient client = session()) {
                client.send(RawClient.request(5, op));
                RawClient.Frame frame = client.readFrame();
                assertEquals(5, frame.header().xid());
                assertEquals(-1, frame.header().zxid());
                assertEquals(-6, frame.header().err());
                assertTrue(client.closedByServer(), "closed after unknown op " + op);
            }
        }
    }

    /**
     * A connection closed by the server after a reply (here: an unknown opcode) still delivers everything queued
     * before it, even many megabytes a client has not read yet: the close waits for the writes, it does not drop
     * what the socket has not taken.
     */
    @Test
    void repliesQueuedBeforeACloseAllArriveAtASlowReader() throws Exception {
        byte[] value = new byte[512 * 1024];
        java.util.Arrays.fill(value, (byte) 7);
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 1, new CreateRequest("/slow-reader", value, Acl.OPEN_ACL_UNSAFE, 0)));
            assertEquals(0, client.readFrame().header().err());
            int gets = 40; // 20 MiB of replies, far beyond the socket buffers
            byte[][] requests = new byte[gets + 1][];
            for (int i = 0; i < gets; i++) {
                requests[i] = RawClient.request(2 + i, 4, new GetDataRequest("/slow-reader", false));
            }
            requests[gets] = RawClient.request(99, 99); // unknown: the reply, then the server closes
            client.send(requests);
            Thread.sleep(1000); // read nothing while the server writes and closes
            for (int i = 0; i < gets; i++) {
                RawClient.Frame frame = client.readFrame();
                assertNotNull(frame, "reply " + i + " of " + gets + " lost");
                assertEquals(2 + i, frame.header().xid());
                assertEquals(0, frame.header().err());
                assertEquals(4 + value.length + 68, frame.body().length);
            }
            RawClient.Frame last = client.readFrame();
            assertEquals(99, last.header().xid());
            assertEquals(-6, last.header().err());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void clientSentCreateSessionUsesAZxidAndKeepsTheConnection() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            ConnectResponse created = client.connect(RawClient.newSession(false));
            client.send(RawClient.request(1, 3, new ExistsRequest("/", false)), RawClient.frame(new RequestHeader(5, -10)),
                    RawClient.request(6, -10, new io.accord.zk.proto.CreateSessionRequest(true, 5)));
            long before = client.readFrame().header().zxid();
            RawClient.Frame shortBody = client.readFrame();
            assertEquals(5, shortBody.header().xid());
            assertEquals(-5, shortBody.header().err());
            assertEquals(before + 1, shortBody.header().zxid());
            assertEquals(created, client.readConnectResponse(), "the same response again, timeout 5 ignored");
            client.send(RawClient.request(7, 3, new ExistsRequest("/", false)));
            RawClient.Frame after = client.readFrame();
            assertEquals(7, after.header().xid());
            assertEquals(before + 2, after.header().zxid());
        }
    }

    @Test
    void malformedAuthOrSaslClosesWithoutAReply() throws Exception {
        for (int op : new int[] {100, 102}) {
            try (RawClient client = session()) {
                client.send(RawClient.frame(new RequestHeader(1, op)));
                assertNull(client.readPayload(), "op " + op);
            }
        }
    }

    @Test
    void standaloneCheckGetsUnimplementedThenClose() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(3, 13, new CheckVersionRequest("/", -1)));
            RawClient.Frame frame = client.readFrame();
            assertEquals(-6, frame.header().err());
            assertEquals(-1, frame.header().zxid());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void malformedBodyGetsMarshallingErrorAndTheConnectionStays() throws Exception {
        try (RawClient client = session()) {
            client.send(new byte[] {0, 0, 0, 10, 0, 0, 0, 7, 0, 0, 0, 4, 0, 0}); // getData, path cut short
            RawClient.Frame frame = client.readFrame();
            assertEquals(7, frame.header().xid());
            assertEquals(-5, frame.header().err());
            client.send(RawClient.request(8, 3, new ExistsRequest("/", false)));
            assertEquals(0, client.readFrame().header().err());
        }
    }

    @Test
    void syncEchoesThePathEvenIfItDoesNotExist() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 9, new SyncRequest("/nonexistent")));
            RawClient.Frame frame = client.readFrame();
            assertEquals(0, frame.header().err());
            assertEquals(new SyncResponse("/nonexistent"), SyncResponse.read(frame.input()));
        }
    }

    @Test
    void authRepliesWithZxidZeroAndUnknownSchemeFailsThenCloses() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(-4, 100, new AuthPacket(0, "digest", "a:b".getBytes(StandardCharsets.UTF_8))));
            RawClient.Frame ok = client.readFrame();
            assertEquals(-4, ok.header().xid());
            assertEquals(0, ok.header().zxid());
            assertEquals(0, ok.header().err());
            client.send(RawClient.request(-4, 100, new AuthPacket(0, "kerberos", new byte[0])));
            RawClient.Frame failed = client.readFrame();
            assertEquals(-115, failed.header().err());
            assertEquals(0, failed.header().zxid());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void saslWithoutASaslServerIsOkWithANullToken() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 102, new GetSASLRequest(new byte[] {1, 2})));
            RawClient.Frame frame = client.readFrame();
            assertEquals(0, frame.header().err());
            assertEquals(0, frame.header().zxid());
            assertEquals(new SetSASLResponse(null), SetSASLResponse.read(frame.input()));
        }
    }

    @Test
    void addWatchRepliesFourZeroBytesAndRejectsUnknownModes() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 106, new AddWatchRequest("/", 1)),
                    RawClient.request(2, 106, new AddWatchRequest("/", 2)));
            RawClient.Frame ok = client.readFrame();
            assertEquals(0, ok.header().err());
            assertArrayEquals(new byte[4], ok.body());
            assertEquals(-5, client.readFrame().header().err());
        }
    }

    @Test
    void reconfigIsDisabled() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 16, new ReconfigRequest(null, null, "server.1=h:1:2", -1)));
            assertEquals(-123, client.readFrame().header().err());
        }
    }

    @Test
    void multiWithAReadOpAndMultiReadWithAWriteAreMarshallingErrors() throws Exception {
        try (RawClient client = session()) {
            MultiRequest reads = new MultiRequest(List.of(new MultiRequest.Op(OpCode.GET_DATA,
                    new GetDataRequest("/", false))));
            MultiRequest mixed = new MultiRequest(List.of(
                    new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/mixed", null, Acl.OPEN_ACL_UNSAFE, 0)),
                    new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest("/", false))));
            client.send(RawClient.request(1, 14, reads), RawClient.request(2, 22, mixed),
                    RawClient.request(3, 14, mixed), RawClient.request(4, 3, new ExistsRequest("/mixed", false)));
            assertEquals(-5, client.readFrame().header().err());
            assertEquals(-5, client.readFrame().header().err());
            assertEquals(-5, client.readFrame().header().err());
            assertEquals(-101, client.readFrame().header().err(), "nothing of the rejected multi was applied");
        }
    }

    @Test
    void emptyMultiIsAnsweredWithJustTheEndMarker() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 14, new MultiRequest(List.of())));
            RawClient.Frame frame = client.readFrame();
            assertEquals(0, frame.header().err());
            assertEquals(new MultiResponse(List.of()), MultiResponse.read(frame.input()));
        }
    }

    @Test
    void watchEventComesBeforeTheReplyOfTheWriteThatFiredIt() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(1, 1, new CreateRequest("/order", null, Acl.OPEN_ACL_UNSAFE, 0)),
                    RawClient.request(2, 4, new GetDataRequest("/order", true)),
                    RawClient.request(3, 5, new io.accord.zk.proto.SetDataRequest("/order", new byte[] {1}, -1)));
            assertEquals(1, client.readFrame().header().xid());
            RawClient.Frame data = client.readFrame();
            assertEquals(2, data.header().xid());
            assertNull(GetDataResponse.read(data.input()).data(), "created with null data");
            RawClient.Frame event = client.readFrame();
            assertEquals(-1, event.header().xid());
            assertEquals(new WatcherEvent(3, 3, "/order"), WatcherEvent.read(event.input()));
            RawClient.Frame set = client.readFrame();
            assertEquals(3, set.header().xid());
            assertEquals(set.header().zxid(), event.header().zxid(), "the event carries the write's zxid");
        }
    }

    @Test
    void existsWatchOnAMissingNodeIsSetAndNotificationFormatMatches() throws Exception {
        try (RawClient watcher = session(); RawClient writer = session()) {
            watcher.send(RawClient.request(1, 3, new ExistsRequest("/later", true)));
            assertEquals(-101, watcher.readFrame().header().err());
            writer.send(RawClient.request(1, 1, new CreateRequest("/later", new byte[0], Acl.OPEN_ACL_UNSAFE, 1)));
            RawClient.Frame created = writer.readFrame();
            assertEquals(0, created.header().err());
            RawClient.Frame event = watcher.readFrame();
            assertEquals(-1, event.header().xid());
            assertEquals(created.header().zxid(), event.header().zxid());
            assertEquals(new WatcherEvent(1, 3, "/later"), WatcherEvent.read(event.input()));
            watcher.send(RawClient.request(2, 3, new ExistsRequest("/later", false)));
            RawClient.Frame exists = watcher.readFrame();
            assertEquals(2, exists.header().xid());
            assertNotEquals(0, ExistsResponse.read(exists.input()).stat().ephemeralOwner());
        }
    }

    @Test
    void closeSessionRepliesThenClosesAndTheSessionIsGone() throws Exception {
        ConnectResponse created;
        try (RawClient client = new RawClient(server.port())) {
            created = client.connect(RawClient.newSession(true));
            client.send(RawClient.request(1, -11));
            RawClient.Frame frame = client.readFrame();
            assertEquals(1, frame.header().xid());
            assertEquals(0, frame.header().err());
            assertTrue(frame.header().zxid() > 0);
            assertTrue(client.closedByServer());
        }
        try (RawClient client = new RawClient(server.port())) {
            ConnectResponse again = client.connect(new ConnectRequest(0, 0, 30_000, created.sessionId(),
                    created.passwd(), false, true));
            assertEquals(0, again.timeOut());
            assertFalse(again.sessionId() == created.sessionId());
        }
    }

    @Test
    void errorReplyToAddWatchIsOnlyAHeader() throws Exception {
        try (RawClient client = session()) {
            client.send(RawClient.request(9, 106, new AddWatchRequest("/", 7)));
            RawClient.Frame frame = client.readFrame();
            assertEquals(-5, frame.header().err());
            assertEquals(0, frame.body().length);
            assertEquals(0, new ErrorResponse(0).err());
        }
    }
}
