package io.accord.compat.diff;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

import io.accord.compat.ServerTarget;
import io.accord.compat.TargetConfig;
import io.accord.compat.support.Await;
import io.accord.compat.support.Clients;
import io.accord.compat.support.RawZooKeeper;
import io.accord.compat.support.TcpProxy;

/**
 * One target of a differential run: its client sessions (numbered slots, each through its own
 * {@link TcpProxy} so that it can be cut off and reconnect), a super-user observer session that sees
 * everything and holds no watches, and the {@link Normalizer} for its ids.
 */
final class Side {

    final String name;
    final ServerTarget target;
    final Normalizer norm = new Normalizer();
    private final Clients clients;
    private final RawZooKeeper[] sessions;
    private final int[] generations;
    private final List<List<WatchedEvent>> rawEvents = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    /** Paths that successful creates returned, in order; identical on both sides while they agree. */
    final List<String> created = new ArrayList<>();
    /** Containers that may still exist; reaping is awaited so that both sides see it at the same step. */
    final Set<String> containers = new LinkedHashSet<>();
    private final TcpProxy[] proxies;
    private final List<BlockingQueue<Watcher.Event.KeeperState>> states = new ArrayList<>();
    private RawZooKeeper observer;

    Side(String name, ServerTarget target, Clients clients, int slots) {
        this.name = name;
        this.target = target;
        this.clients = clients;
        this.sessions = new RawZooKeeper[slots];
        this.generations = new int[slots];
        this.proxies = new TcpProxy[slots];
        for (int i = 0; i < slots; i++) {
            rawEvents.add(Collections.synchronizedList(new ArrayList<>()));
            states.add(new LinkedBlockingQueue<>());
        }
    }

    /** Connects the observer; the sessions are opened by {@link #reopen}. */
    void open() throws Exception {
        observer = clients.connect(target.connectString());
        observer.addAuthInfo("digest", ("super:" + TargetConfig.SUPER_PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < sessions.length; i++) {
            proxies[i] = clients.register(new TcpProxy(target.connectString()));
        }
    }

    ZooKeeper session(int slot) {
        return sessions[slot];
    }

    ZooKeeper observer() {
        return observer;
    }

    /** Closes the slot's session (if any) and opens a new one, optionally with a digest identity. */
    void reopen(int slot, String digestUserPassword) throws Exception {
        if (sessions[slot] != null) {
            syncSlot(slot);
            drain(slot, false); // everything the session got before its close counts; whatever races with the close does not
            // closeSession through the client's connection: answered once the session's ephemerals
            // are deleted. The client object itself is torn down later by Clients (that takes ~100 ms).
            int err = sessions[slot].submit(ZooDefs.OpCode.closeSession, null, null).getErr();
            if (err != 0) {
                throw new IllegalStateException(name + ": closeSession answered " + err);
            }
        }
        List<WatchedEvent> log = Collections.synchronizedList(new ArrayList<>());
        rawEvents.set(slot, log);
        BlockingQueue<Watcher.Event.KeeperState> stateLog = new LinkedBlockingQueue<>();
        states.set(slot, stateLog);
        Watcher watcher = event -> {
            if (event.getType() != Watcher.Event.EventType.None) {
                log.add(event);
            } else {
                stateLog.add(event.getState());
            }
        };
        RawZooKeeper zk = clients.connect(proxies[slot].connectString(), Clients.SESSION_TIMEOUT_MS,
            new io.accord.compat.support.EventLog());
        zk.register(watcher);
        generations[slot]++;
        norm.session(zk.getSessionId(), "s" + slot + "." + generations[slot]);
        if (digestUserPassword != null) {
            zk.addAuthInfo("digest", digestUserPassword.getBytes(StandardCharsets.UTF_8));
        }
        sessions[slot] = zk;
    }

    /** Cuts the slot's connection (the session lives on) and waits until its client noticed. */
    void cut(int slot) throws InterruptedException {
        proxies[slot].cut();
        awaitState(slot, Watcher.Event.KeeperState.Disconnected);
    }

    /** Lets the slot's client reconnect (it re-sends its watches) and waits until it has. */
    void resume(int slot) throws InterruptedException {
        proxies[slot].resume();
        awaitState(slot, Watcher.Event.KeeperState.SyncConnected);
    }

    private void awaitState(int slot, Watcher.Event.KeeperState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Watcher.Event.KeeperState state = states.get(slot).poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (state == null) {
                throw new IllegalStateException(name + ": session slot " + slot + " did not reach " + wanted);
            }
            if (state == wanted) {
                return;
            }
        }
    }

    /**
     * Waits until every session has processed all events queued before now (a sync round trip is
     * answered after them, on the same client event thread) and appends them, normalized, to
     * {@link #events()} slot by slot. With {@code unordered}, each session's new events are sorted and their
     * zxid ranks dropped: a session close deletes its ephemerals, and the reaper then removes the containers
     * this emptied, in an unspecified order (ZooKeeper: hash-set order).
     */
    void barrier(boolean unordered) throws Exception {
        for (int slot = 0; slot < sessions.length; slot++) {
            syncSlot(slot);
            int from = events.size();
            drain(slot, unordered);
            if (unordered) {
                // The rank of a zxid first seen here encodes the order of the step's transactions, which is
                // unspecified too: ZooKeeper reaps containers emptied by one close in hash-set order.
                List<String> batch = events.subList(from, events.size());
                batch.replaceAll(e -> e.replaceAll("(z\\d+)<\\d+", "$1"));
                Collections.sort(batch);
            }
        }
        events.addAll(norm.violations());
        norm.violations().clear();
    }

    private void syncSlot(int slot) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        sessions[slot].sync("/", (rc, path, ctx) -> done.complete(rc), null);
        done.get(20, TimeUnit.SECONDS);
    }

    private void drain(int slot, boolean unordered) {
        List<WatchedEvent> log = rawEvents.get(slot);
        List<WatchedEvent> copy;
        synchronized (log) {
            copy = new ArrayList<>(log);
            log.clear();
        }
        if (unordered) {
            // The first sighting of a zxid is annotated with its rank: normalize in a canonical order so the
            // annotation lands on the same event whatever order the server delivered them in.
            copy.sort(java.util.Comparator.comparing((WatchedEvent e) -> e.getType().name())
                    .thenComparing(WatchedEvent::getPath).thenComparingLong(WatchedEvent::getZxid));
        }
        for (WatchedEvent e : copy) {
            events.add("s" + slot + "." + generations[slot] + " " + e.getType() + " " + e.getPath() + " " + norm.zxid(e.getZxid()));
        }
    }

    /** Normalized events (and invariant violations) since the last call. */
    List<String> events() {
        List<String> copy = new ArrayList<>(events);
        events.clear();
        return copy;
    }

    /**
     * Awaits the reaping of every container that is empty and has had children, so that reaping (a
     * background transaction) happens at the same step on both sides.
     *
     * <p>Known limit: when one step empties two containers, the order in which the server reaps them is
     * its own (ZooKeeper: hash-set order); a subject that reaps them the other way round shows up as a
     * divergence in event order and zxid ranks although both are valid.
     */
    void settleContainers() throws Exception {
        boolean again = true;
        while (again) {
            again = false;
            for (String path : new ArrayList<>(containers)) {
                Stat stat = observer.exists(path, false);
                if (stat == null) {
                    containers.remove(path);
                } else if (stat.getNumChildren() == 0 && stat.getCversion() > 0) {
                    Await.until(name + ": container " + path + " reaped", Duration.ofSeconds(20), () -> {
                        try {
                            return observer.exists(path, false) == null;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    containers.remove(path);
                    again = true; // its parent may now be an empty container too
                }
            }
        }
    }

    /** The whole subtree under {@code root}, normalized: path, data, stat, ACL per node. */
    List<String> dump(String root) throws Exception {
        List<String> out = new ArrayList<>();
        dump(root, out);
        return out;
    }

    private void dump(String path, List<String> out) throws Exception {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = observer.getData(path, false, stat);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            return;
        }
        List<ACL> acl = observer.getACL(path, new Stat());
        out.add(path + " data=" + Outcomes.data(data) + " " + norm.stat(stat) + " acl=" + Outcomes.acl(acl));
        List<String> children = new ArrayList<>(observer.getChildren(path, false));
        Collections.sort(children);
        for (String child : children) {
            dump(path.equals("/") ? "/" + child : path + "/" + child, out);
        }
    }
}
