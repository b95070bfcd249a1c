package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link HostileInput} streams sent over real sockets to a running ZkServer, one connection each.
 *
 * <p>Properties: every stream ends with the connection either still serving (it answers a ping) or closed by the
 * server, never hanging; every reply is a well-formed frame; each connection the server closes gets exactly one
 * log line saying why; afterwards no connection, pending request or session of the fuzz is left (the sessions
 * expire), nodes protected by an ACL the fuzz cannot satisfy are untouched, the tree is consistent, a real
 * ZooKeeper client still works, and no buffer leaked. That client, the witness, is connected before the fuzz and
 * reads all through it: every read succeeds, and it sees no Disconnected or Expired event, during or after.
 */
class SocketFuzzTest {
    private static final int MAX_FRAME = 4096;
    private static final int TICK_MS = 200; // session timeouts 400..4000 ms: the fuzz sessions expire quickly

    @Test
    void hostileConnectionsLeaveTheServerAndItsStateIntact() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger connectionLog = (Logger) LoggerFactory.getLogger(Connection.class);
        log.start();
        connectionLog.addAppender(log);
        try (TestServer server = TestServer.start(io.accord.core.CoreConfig.defaults(), TICK_MS,
                c -> c.maxFrameLength(MAX_FRAME))) {
            Clients.Recorder recorder = new Clients.Recorder();
            try (ZooKeeper witness = Clients.connect(server.connectString(), 4000, recorder)) {
                List<WatchedEvent> stateChanges = new CopyOnWriteArrayList<>();
                witness.register(event -> {
                    if (event.getType() == Watcher.Event.EventType.None) {
                        stateChanges.add(event);
                    }
                    recorder.process(event);
                });
                long sessionId = witness.getSessionId();
                Map<String, Stat> protectedNodes = createProtectedNodes(witness);
                try (Prober prober = new Prober(witness)) {
                    fuzz(server, log);
                    prober.assertAnswered("during the fuzz");
                }
                ServerNode node = server.server.node();
                Await.until("fuzz connections closed", () -> node.connections.size() == 1);
                Await.until("fuzz sessions expired", () -> server.replica.sessionCount() == 1);
                assertEquals(0, node.pendingCount(), "requests left pending");
                assertEquals(0, node.outstanding(), "requests left outstanding");
                for (Map.Entry<String, Stat> e : protectedNodes.entrySet()) {
                    Stat now = witness.exists(e.getKey(), false);
                    assertEquals(e.getValue(), now, "protected node " + e.getKey() + " changed");
                    assertArrayEquals(e.getKey().getBytes(StandardCharsets.UTF_8),
                            witness.getData(e.getKey(), false, null));
                }
                checkTree(witness, "/", witness.getSessionId());
                wellBehavedClientWorks(witness, recorder);
                assertEquals(List.of(), stateChanges, "the witness was never disconnected nor expired");
                assertEquals(ZooKeeper.States.CONNECTED, witness.getState());
                assertEquals(sessionId, witness.getSessionId());
            }
        } finally {
            connectionLog.detachAppender(log);
        }
    }

    /**
     * Reads with the witness every 50 ms on a thread of its own while the fuzz runs: each read must succeed (a
     * connection loss or a stall past the session's read timeout would fail it).
     */
    private static final class Prober implements AutoCloseable {
        private final ZooKeeper witness;
        private final Thread thread;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicLong maxLatencyNanos = new AtomicLong();
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Prober(ZooKeeper witness) {
            this.witness = witness;
            this.thread = new Thread(this::run, "witness-prober");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!stop.get()) {
                long start = System.nanoTime();
                try {
                    if (witness.exists("/witness", false) == null) {
                        throw new AssertionError("/witness is gone");
                    }
                    answered.incrementAndGet();
                    maxLatencyNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }
        }

        void assertAnswered(String when) throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
            assertEquals(List.of(), failures, "witness reads that failed " + when);
            assertTrue(answered.get() > 0, "the witness answered " + when);
            System.out.printf("witness: %d reads %s, slowest %d ms%n", answered.get(), when,
                    TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos.get()));
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    private static void fuzz(TestServer server, ListAppender<ILoggingEvent> log) throws Exception {
        HostileInput input = new HostileInput(0xf022, MAX_FRAME);
        int iterations = HostileInput.iterations(400);
        int closed = 0;
        for (int i = 0; i < iterations; i++) {
            HostileInput.Case c = input.next();
            String what = "case " + i + " (" + c.kind() + "): "
                    + HexFormat.of().formatHex(c.bytes(), 0, Math.min(c.bytes().length, 96));
            String remote;
            Boolean serverClosed;
            int logFrom = log.list.size(); // client ports are reused over thousands of connections
            try (RawClient client = new RawClient(server.port())) {
                remote = client.socket.getLocalSocketAddress().toString();
                serverClosed = play(client, c, input.chunks(c.bytes()), what);
            }
            if (serverClosed == null) {
                continue;
            }
            List<String> lines = messages(log, logFrom, remote);
            long reasons = lines.stream().filter(m -> !m.contains("malformed")).count();
            if (serverClosed) {
                closed++;
                assertEquals(1, reasons, "log lines for the closed connection of " + what + ": " + lines);
            } else {
                assertTrue(reasons <= 1, "log lines for " + what + ": " + lines);
            }
        }
        assertTrue(closed > iterations / 4, "the fuzz should get many connections closed: " + closed);
    }

    /**
     * One hostile connection: sends the case in these chunks, then, if the case is complete, a ping. Returns true if
     * the server closed the connection, false if it answered the ping, null if the client hung up inside a frame.
     */
    static Boolean play(RawClient client, HostileInput.Case c, List<byte[]> chunks, String what) throws IOException {
        client.socket.setSoTimeout(5000);
        for (byte[] chunk : chunks) {
            if (!send(client, chunk)) {
                break;
            }
        }
        if (!c.complete()) {
            return null; // hang up inside a frame
        }
        send(client, HostileInput.ping());
        return readUntilPingOrClose(client, c.handshake(), what);
    }

    /** Sends; false if the server already closed the connection (it may, mid-stream). */
    private static boolean send(RawClient client, byte[] bytes) {
        try {
            client.send(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads replies until the ping's answer (true: still serving) or the server's close (false). */
    private static boolean readUntilPingOrClose(RawClient client, boolean handshake, String what) throws IOException {
        boolean first = handshake;
        while (true) {
            byte[] payload;
            try {
                payload = client.readPayload();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("neither an answer nor a close within 5 s: " + what);
            } catch (IOException e) {
                return true; // reset by the server
            }
            if (payload == null) {
                return true;
            }
            if (first) {
                first = false;
                assertTrue(payload.length == 36 || payload.length == 37, "ConnectResponse length " + payload.length);
                continue;
            }
            assertTrue(payload.length >= 16, "reply shorter than its header: " + payload.length + " in " + what);
            if (resentConnectResponse(payload)) {
                continue;
            }
            ByteBuffer reply = ByteBuffer.wrap(payload);
            int xid = reply.getInt();
            reply.getLong();
            int err = reply.getInt();
            assertTrue(err <= 0, "error code " + err + " in " + what);
            if (xid == -2 && payload.length == 16) {
                return false;
            }
        }
    }

    /**
     * Whether a frame is the ConnectResponse that a createSession (-10) with a timeout gets again, as from ZooKeeper
     * (protocol version 0, then at offset 16 the 16-byte password's length), rather than a reply.
     */
    private static boolean resentConnectResponse(byte[] payload) {
        ByteBuffer frame = ByteBuffer.wrap(payload);
        return (payload.length == 36 || payload.length == 37) && frame.getInt(0) == 0 && frame.getInt(16) == 16;
    }

    /** The lines the connection logger wrote about this remote address from the index {@code from} on. */
    private static List<String> messages(ListAppender<ILoggingEvent> log, int from, String remote) {
        List<String> out = new ArrayList<>();
        List<ILoggingEvent> events = List.copyOf(log.list);
        for (ILoggingEvent e : events.subList(Math.min(from, events.size()), events.size())) {
            String m = e.getFormattedMessage();
            if (m.contains(remote + " ") || m.contains(remote + ":") || m.endsWith(remote)) {
                out.add(m);
            }
        }
        return out;
    }

    private static Map<String, Stat> createProtectedNodes(ZooKeeper zk) throws Exception {
        zk.addAuthInfo("digest", "witness:secret".getBytes(StandardCharsets.UTF_8));
        for (String path : List.of("/fuzz", "/fuzz/a", "/fuzz/b", "/fuzz/b/c")) { // where the fuzz may write
            zk.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        Map<String, Stat> nodes = new TreeMap<>();
        List<String> witness = List.of("/witness", "/witness/a", "/witness/b", "/witness/b/c");
        for (String path : witness) {
            zk.create(path, path.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        }
        for (String path : witness) {
            nodes.put(path, zk.exists(path, false));
        }
        return nodes;
    }

    /** Every node's child count matches its children, and no ephemeral outlives the fuzz sessions. */
    private static void checkTree(ZooKeeper zk, String path, long liveSession) throws Exception {
        Stat stat = new Stat();
        List<String> children = zk.getChildren(path, false, stat);
        assertEquals(children.size(), stat.getNumChildren(), "numChildren of " + path);
        assertTrue(stat.getEphemeralOwner() == 0 || stat.getEphemeralOwner() == liveSession
                || stat.getEphemeralOwner() == 0x8000000000000000L, // a TTL node
                path + " is owned by a session that is gone: 0x" + Long.toHexString(stat.getEphemeralOwner()));
        for (String child : children) {
            checkTree(zk, path.equals("/") ? "/" + child : path + "/" + child, liveSession);
        }
    }

    private static void wellBehavedClientWorks(ZooKeeper zk, Clients.Recorder recorder) throws Exception {
        String path = zk.create("/after-fuzz-", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL_SEQUENTIAL);
        assertArrayEquals(new byte[] {1}, zk.getData(path, true, null));
        zk.setData(path, new byte[] {2}, 0);
        WatchedEvent event = recorder.nextNodeEvent(5000);
        assertEquals(Watcher.Event.EventType.NodeDataChanged, event.getType());
        assertEquals(path, event.getPath());
        zk.delete(path, 1);
        assertEquals(null, zk.exists(path, false));
    }
}
