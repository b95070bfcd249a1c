package io.accord.zk.server;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Real ZooKeeper clients for tests: connect and wait until connected; events recorded in a queue. */
final class Clients {
    private Clients() {
    }

    /** A watcher that records every event. */
    static final class Recorder implements Watcher {
        final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        final CountDownLatch connected = new CountDownLatch(1);

        @Override
        public void process(WatchedEvent event) {
            if (event.getType() == Event.EventType.None && event.getState() == Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
            events.add(event);
        }

        /**
         * The next node event sent by the server (not None, and not the *WatchRemoved events the client makes up
         * itself), or null after the timeout.
         */
        WatchedEvent nextNodeEvent(long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                WatchedEvent e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (e == null || e.getType() != Event.EventType.None && !e.getType().name().endsWith("WatchRemoved")) {
                    return e;
                }
            }
        }

        /** The next event of any type with this state, or null after the timeout. */
        WatchedEvent nextState(Event.KeeperState state, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                WatchedEvent e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (e == null || (e.getType() == Event.EventType.None && e.getState() == state)) {
                    return e;
                }
            }
        }
    }

    static ZooKeeper connect(TestServer server, Recorder recorder) throws Exception {
        return connect(server.connectString(), 30_000, recorder);
    }

    static ZooKeeper connect(String connectString, int timeoutMs, Recorder recorder) throws Exception {
        ZooKeeper zk = new ZooKeeper(connectString, timeoutMs, recorder);
        if (!recorder.connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("not connected within 20 s to " + connectString);
        }
        return zk;
    }
}
