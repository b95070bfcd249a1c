package io.accord.compat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;

/**
 * A {@link Watcher} that records every event it receives, in delivery order. Node events and
 * connection-state events ({@link EventType#None}) are kept in separate queues so that a test can
 * await either without the other getting in the way.
 */
public final class EventLog implements Watcher {

    private final BlockingQueue<WatchedEvent> nodeEvents = new LinkedBlockingQueue<>();
    private final BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
    private final List<WatchedEvent> all = new ArrayList<>();

    @Override
    public void process(WatchedEvent event) {
        synchronized (all) {
            all.add(event);
        }
        if (event.getType() == EventType.None) {
            states.add(event.getState());
        } else {
            nodeEvents.add(event);
        }
    }

    /** The next node event, failing if none arrives within the default deadline. */
    public WatchedEvent next() {
        return next(Await.DEFAULT);
    }

    public WatchedEvent next(Duration timeout) {
        try {
            WatchedEvent event = nodeEvents.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(event, "no watch event within " + timeout);
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Takes the next node event and checks its type and path. */
    public WatchedEvent expect(EventType type, String path) {
        WatchedEvent event = next();
        assertEquals(type + " " + path, event.getType() + " " + event.getPath(), "watch event");
        assertEquals(KeeperState.SyncConnected, event.getState(), "state of a server-sent event");
        return event;
    }

    /** A node event that is already here, or null; never waits. */
    public WatchedEvent poll() {
        return nodeEvents.poll();
    }

    /** Node events received and not yet taken. */
    public List<WatchedEvent> pending() {
        return new ArrayList<>(nodeEvents);
    }

    /**
     * Takes reported states in order until {@code state} comes, skipping others. States reported
     * earlier and not yet taken count: after an action that disconnects, await {@code Disconnected}
     * before {@code SyncConnected}, or the initial connection's {@code SyncConnected} answers.
     */
    public void awaitState(KeeperState state) {
        awaitState(state, Await.DEFAULT);
    }

    public void awaitState(KeeperState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                KeeperState next = states.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("client did not reach " + state + " within " + timeout);
                }
                if (next == state) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every event (node and state) so far, for failure messages. */
    public List<WatchedEvent> history() {
        synchronized (all) {
            return new ArrayList<>(all);
        }
    }

    /** "type path" of an event, the form assertions compare. */
    public static String describe(WatchedEvent e) {
        return e.getType() + " " + e.getPath();
    }
}
