package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.SetDataRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile or broken input closes that one connection and leaves the server serving (real sockets). */
class BadInputTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.maxFrameLength(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillServes() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            assertNotNull(client.connect(RawClient.newSession(true)));
            client.send(RawClient.request(1, 3, new ExistsRequest("/", false)));
            assertEquals(0, client.readFrame().header().err());
        }
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            junk[0] = (byte) 0x80; // a negative length: never a valid frame, never a 4lw
            try (RawClient client = new RawClient(server.port())) {
                client.send(junk);
                assertTrue(client.closedByServer(), "round " + i);
            }
        }
    }

    @Test
    void randomFramesAfterAHandshakeNeverBreakTheServer() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            try (RawClient client = new RawClient(server.port())) {
                client.connect(RawClient.newSession(true));
                byte[] body = new byte[8 + random.nextInt(64)];
                random.nextBytes(body);
                byte[] frame = new byte[4 + body.length];
                frame[3] = (byte) body.length;
                System.arraycopy(body, 0, frame, 4, body.length);
                client.send(frame);
                // whatever it is, the server answers in a bounded way: a reply, or a close
                RawClient.Frame reply = client.readFrame();
                if (reply != null) {
                    assertTrue(reply.header().err() <= 0);
                }
            }
        }
    }

    @Test
    void frameLargerThanTheMaximumClosesWithoutReply() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            byte[] big = new byte[5000];
            client.send(RawClient.request(1, 5, new SetDataRequest("/", big, -1)));
            assertNull(client.readPayload());
        }
    }

    @Test
    void negativeLengthClosesWithoutReply() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            client.send(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
            assertNull(client.readPayload());
        }
    }

    @Test
    void truncatedFrameThenHangUpIsHarmless() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            client.send(new byte[] {0, 0, 0, 100, 0, 0, 0, 1});
        }
    }

    @Test
    void requestBeforeTheHandshakeCloses() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(RawClient.request(1, 4, new GetDataRequest("/", false)));
            assertNull(client.readPayload());
        }
    }

    @Test
    void aConnectRequestBehindABadFirstFrameOpensNoSessionAndLogsOnce() throws Exception {
        // found by SocketFuzzTest: the frames after a failed one were still decoded while the channel closed, so a
        // ConnectRequest among them created a session for a closed connection, and a second failure logged again
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        ch.qos.logback.classic.Logger connectionLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Connection.class);
        log.start();
        connectionLog.addAppender(log);
        long sessionsBefore = server.replica.sessionCount();
        try (RawClient client = new RawClient(server.port())) {
            String remote = client.socket.getLocalSocketAddress().toString();
            byte[] notAConnect = {0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 4}; // 8 bytes: too short for a ConnectRequest
            byte[] tooShort = {0, 0, 0, 2, 0, 0};
            client.send(notAConnect, RawClient.frame(RawClient.newSession(true)), tooShort);
            assertTrue(client.closedByServer());
            Thread.sleep(300); // a session request would be applied within a tick (1 s) of the log
            assertEquals(sessionsBefore, server.replica.sessionCount(), "a session was created for a closed connection");
            assertEquals(1, log.list.stream().filter(e -> e.getFormattedMessage().contains(remote)).count(),
                    log.list.toString());
        } finally {
            connectionLog.detachAppender(log);
        }
    }

    /** A check (13) outside multi whose body cannot be read: what the client sees, as text. */
    private static String malformedCheck(int port) throws Exception {
        try (RawClient client = new RawClient(port)) {
            client.connect(RawClient.newSession(true));
            client.send(HostileInput.frameOf(new byte[] {0, 0, 0, 5, 0, 0, 0, 13, 0, 0, 9}));
            RawClient.Frame reply = client.readFrame();
            return "xid " + reply.header().xid() + " err " + reply.header().err() + ", then "
                    + (client.closedByServer() ? "closed" : "open");
        }
    }

    @Test
    void aMalformedCheckOutsideMultiIsUnimplementedAndClosesAsOnZooKeeper() throws Exception {
        // found by FuzzDifferentialTest: Accord read the body first and answered MARSHALLINGERROR, keeping the
        // connection; ZooKeeper refuses check outside multi by its opcode alone
        String zooKeeper;
        try (RealZooKeeper real = new RealZooKeeper()) {
            zooKeeper = malformedCheck(real.clientPort());
        }
        assertEquals("xid 5 err -6, then closed", zooKeeper);
        assertEquals(zooKeeper, malformedCheck(server.port()));
    }

    @Test
    void secondHandshakeIsAnUnknownOpAndCloses() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            client.send(RawClient.frame(RawClient.newSession(true)));
            RawClient.Frame frame = client.readFrame();
            assertEquals(-6, frame.header().err());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void invalidUtf8PathIsDecodedAsZooKeeperDoesAndRejectedByPathRules() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.connect(RawClient.newSession(true));
            byte[] header = {0, 0, 0, 1, 0, 0, 0, 1};
            byte[] path = {0, 0, 0, 3, '/', (byte) 0xc3, (byte) 0x28};
            byte[] rest = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1, 0, 0, 0, 31, 0, 0, 0, 5,
                    'w', 'o', 'r', 'l', 'd', 0, 0, 0, 6, 'a', 'n', 'y', 'o', 'n', 'e', 0, 0, 0, 0};
            int length = header.length + path.length + rest.length;
            byte[] frame = new byte[4 + length];
            frame[3] = (byte) length;
            System.arraycopy(header, 0, frame, 4, header.length);
            System.arraycopy(path, 0, frame, 4 + header.length, path.length);
            System.arraycopy(rest, 0, frame, 4 + header.length + path.length, rest.length);
            client.send(frame);
            assertEquals(-8, client.readFrame().header().err(), "U+FFFD is not allowed in a path");
            client.send(RawClient.request(2, 1, new CreateRequest("/fine", null, Acl.OPEN_ACL_UNSAFE, 0)));
            assertEquals(0, client.readFrame().header().err(), "the connection stays open");
        }
    }

    @Test
    void idleServerUsesAlmostNoCpu() throws Exception {
        try (RawClient idle = new RawClient(server.port())) {
            idle.connect(RawClient.newSession(true));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long before = totalCpuNanos(threads);
            long start = System.nanoTime();
            Thread.sleep(1000); // the measurement window itself, not a wait for a condition
            long used = totalCpuNanos(threads) - before;
            long elapsed = System.nanoTime() - start;
            assertTrue(used < elapsed / 10, "threads used " + TimeUnit.NANOSECONDS.toMillis(used)
                    + " ms of CPU in " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms of idling");
        }
    }

    private static long totalCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != Thread.currentThread().getId()) {
                total += Math.max(0, threads.getThreadCpuTime(id));
            }
        }
        return total;
    }
}
