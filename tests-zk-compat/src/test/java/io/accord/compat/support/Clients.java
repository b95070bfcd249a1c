package io.accord.compat.support;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Opens real ZooKeeper clients and Curator frameworks and closes every one of them on {@link #close()},
 * newest first, even when a test fails half way.
 */
public final class Clients implements AutoCloseable {

    public static final int SESSION_TIMEOUT_MS = 30_000;

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** A connected client with a 30 s session and its events in {@code events}. */
    public RawZooKeeper connect(String connectString, EventLog events) throws IOException, InterruptedException {
        return connect(connectString, SESSION_TIMEOUT_MS, events);
    }

    public RawZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, new EventLog());
    }

    public RawZooKeeper connect(String connectString, int sessionTimeoutMs, EventLog events) throws IOException, InterruptedException {
        ConnectedLatch latch = new ConnectedLatch(events);
        RawZooKeeper zk = register(new RawZooKeeper(connectString, sessionTimeoutMs, latch, clientConfig()));
        latch.await(connectString);
        return zk;
    }

    /** Resumes an existing session (id + password), as a client does after moving to another server. */
    public RawZooKeeper resume(String connectString, int sessionTimeoutMs, EventLog events, long sessionId, byte[] password)
        throws IOException {
        return register(new RawZooKeeper(connectString, sessionTimeoutMs, events, sessionId, password));
    }

    /** A started Curator client that has connected; retries quickly so tests stay short. */
    public CuratorFramework curator(String connectString) throws InterruptedException {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(SESSION_TIMEOUT_MS)
            .connectionTimeoutMs(10_000)
            .retryPolicy(new RetryNTimes(50, 100))
            .ensembleTracker(false)
            .build();
        register(new CuratorClose(curator));
        curator.start();
        if (!curator.blockUntilConnected(20, TimeUnit.SECONDS)) {
            throw new AssertionError("Curator did not connect to " + connectString);
        }
        return curator;
    }

    public <T extends AutoCloseable> T register(T closeable) {
        synchronized (open) {
            open.push(closeable);
        }
        return closeable;
    }

    /** A fresh client configuration (defaults, e.g. jute.maxbuffer 1 MiB, from system properties). */
    private static ZKClientConfig clientConfig() {
        return new ZKClientConfig();
    }

    /**
     * Closes everything, newest first. Recipes and other objects close in order; client connections
     * (whose teardown waits about 100 ms in the ZooKeeper client after the session is closed) close
     * in parallel, and this returns when all are closed.
     */
    @Override
    public void close() {
        List<Thread> closing = new ArrayList<>();
        while (true) {
            AutoCloseable next;
            synchronized (open) {
                next = open.poll();
            }
            if (next == null) {
                break;
            }
            if (next instanceof ZooKeeper || next instanceof CuratorClose) {
                Thread t = new Thread(() -> quietClose(next), "close-client");
                t.start();
                closing.add(t);
            } else {
                quietClose(next);
            }
        }
        for (Thread t : closing) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void quietClose(AutoCloseable closeable) {
        try {
            if (closeable instanceof ZooKeeper zk) {
                zk.close(2000);
            } else {
                closeable.close();
            }
        } catch (Exception ignored) {
            // best effort: the server may already be gone
        }
    }

    /** A started Curator framework, closed like a client connection. */
    private record CuratorClose(CuratorFramework curator) implements AutoCloseable {
        @Override
        public void close() {
            curator.close();
        }
    }

    /** Forwards every event to the test's log and opens once the session is connected. */
    private static final class ConnectedLatch implements org.apache.zookeeper.Watcher {
        private final EventLog delegate;
        private final CountDownLatch connected = new CountDownLatch(1);

        ConnectedLatch(EventLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public void process(org.apache.zookeeper.WatchedEvent event) {
            if (event.getType() == Event.EventType.None && event.getState() == KeeperState.SyncConnected) {
                connected.countDown();
            }
            delegate.process(event);
        }

        void await(String connectString) throws InterruptedException {
            if (!connected.await(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("client did not connect to " + connectString + " within " + Await.DEFAULT);
            }
        }
    }
}
