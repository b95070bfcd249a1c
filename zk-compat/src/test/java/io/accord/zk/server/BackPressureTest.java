package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import io.accord.core.port.ReplicationPort;
import io.accord.core.txn.Request;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.SetDataRequest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Requests in flight are bounded per connection ({@code maxOutstandingPerConnection}) and over the node
 * ({@code globalOutstandingLimit}): past a bound the connection stops reading instead of queueing without end, and
 * reads again below half of it. The log is held shut (a gate in front of the real in-process log) so that writes
 * stay in flight for as long as the test looks.
 */
class BackPressureTest {
    /** The value each setData writes: 20,000 of them (20 MB) are more than the socket buffers hold. */
    private static final int VALUE_BYTES = 1000;
    /** One read of the socket (at most 64 KiB) may still bring frames in after reading stops. */
    private static final int ONE_READ_OF_SET_DATA = 65536 / (26 + VALUE_BYTES) + 1;

    @Test
    void aConnectionStopsReadingAtItsBoundAndEveryRequestIsAnsweredAfterwards() throws Exception {
        try (Gated gated = new Gated(c -> c.maxOutstandingPerConnection(100).globalOutstandingLimit(100_000));
                RawClient client = new RawClient(gated.server.port())) {
            client.connect(RawClient.newSession(true));
            client.send(RawClient.request(1, 1, new CreateRequest("/x", null, io.accord.core.acl.Acl.OPEN_ACL_UNSAFE,
                    0)));
            assertEquals(0, client.readFrame().header().err());
            gated.hold(true);
            int count = 20_000;
            ExecutorService sender = Executors.newSingleThreadExecutor();
            try {
                Future<?> sent = sender.submit(() -> {
                    client.send(setDataFrames(2, count));
                    return null;
                });
                ServerNode node = gated.server.node();
                Connection connection = awaitOne(node);
                Await.until("the connection stops reading", () -> !connection.reading());
                Thread.sleep(300); // let anything already read arrive
                int held = connection.queued();
                assertTrue(held >= 100 && held <= 100 + ONE_READ_OF_SET_DATA, "in flight while paused: " + held);
                assertFalse(sent.isDone(), "the client could send everything: nothing pushed back");
                gated.hold(false);
                for (int i = 0; i < count; i++) {
                    RawClient.Frame reply = client.readFrame();
                    assertEquals(2 + i, reply.header().xid(), "replies in request order");
                    assertEquals(0, reply.header().err());
                }
                sent.get(10, TimeUnit.SECONDS);
                Await.until("nothing outstanding", () -> node.outstanding() == 0);
                // reading resumes on the connection's event loop, a moment after the count drops
                Await.until("the connection reads again", connection::reading);
            } finally {
                sender.shutdownNow();
            }
        }
    }

    @Test
    void overTheGlobalLimitOnlyConnectionsWithRequestsInFlightStopReading() throws Exception {
        try (Gated gated = new Gated(c -> c.maxOutstandingPerConnection(100_000).globalOutstandingLimit(50));
                RawClient busy = new RawClient(gated.server.port());
                RawClient idle = new RawClient(gated.server.port())) {
            busy.connect(RawClient.newSession(true));
            idle.connect(RawClient.newSession(true));
            busy.send(RawClient.request(1, 1, new CreateRequest("/x", null, io.accord.core.acl.Acl.OPEN_ACL_UNSAFE,
                    0)));
            assertEquals(0, busy.readFrame().header().err());
            ServerNode node = gated.server.node();
            gated.hold(true);
            int count = 2000;
            busy.send(setDataFrames(2, count));
            Await.until("the node throttles", node::throttled);
            Connection busyConnection = node.connections.stream().filter(c -> c.queued() > 0).findFirst().get();
            Await.until("the busy connection stops reading", () -> !busyConnection.reading());
            // ZooKeeper's rule: a connection with nothing in flight still reads, so it can ping and read
            idle.send(RawClient.request(7, 3, new ExistsRequest("/x", false)));
            assertEquals(7, idle.readFrame().header().xid());
            gated.hold(false);
            for (int i = 0; i < count; i++) {
                assertEquals(2 + i, busy.readFrame().header().xid());
            }
            Await.until("the throttle ends", () -> !node.throttled() && node.outstanding() == 0);
            // reading resumes on the connection's event loop, a moment after the throttle ends
            Await.until("the busy connection reads again", busyConnection::reading);
        }
    }

    private static byte[] setDataFrames(int firstXid, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(RawClient.request(firstXid + i, 5, new SetDataRequest("/x", new byte[VALUE_BYTES], -1)));
        }
        return out.toByteArray();
    }

    private static Connection awaitOne(ServerNode node) throws Exception {
        Await.until("one connection", () -> node.connections.size() == 1);
        return node.connections.iterator().next();
    }


    /** A ZkServer over the real in-process log with a gate that can hold submitted requests back. */
    private static final class Gated implements AutoCloseable {
        final LocalReplicator log = LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, 1000);
        final List<Request> heldBack = new ArrayList<>();
        boolean holding;
        final ZkServer server;

        Gated(UnaryOperator<ZkServer.Context> customize) {
            ReplicationPort gate = new ForwardingPort(log) {
                @Override
                public boolean submit(Request request) {
                    synchronized (Gated.this) {
                        if (holding && request.requestId() != 0) {
                            heldBack.add(request);
                            return true;
                        }
                    }
                    return log.submit(request);
                }
            };
            server = ZkServer.launch(customize.apply(new ZkServer.Context().replicationPort(gate)
                    .bindAddress("127.0.0.1").port(0).tickTimeMs(2000).ioThreads(2).adminEnableServer(false)
                    .jmxEnabled(false).closePortOnClose(true)));
        }

        synchronized void hold(boolean hold) {
            holding = hold;
            if (!hold) {
                heldBack.forEach(log::submit);
                heldBack.clear();
            }
        }

        @Override
        public void close() {
            server.close();
            LeakRecorder.assertNoLeaks();
        }
    }
}
