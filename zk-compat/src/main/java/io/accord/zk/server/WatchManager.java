package io.accord.zk.server;

import io.accord.core.Replica;
import io.accord.core.acl.Perms;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.EventType;
import io.accord.zk.proto.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's watch tables (PROTOCOL.md 6.2, 6.3), keyed by path and by connection. One entry per (path,
 * connection) holds bits for the kinds of watch set there: one-shot data (getData/exists), one-shot child
 * (getChildren), persistent (both tables in ZooKeeper's terms) and persistent-recursive.
 *
 * <p>Matching rules: a created or changed node fires data, persistent and recursive watches on it and recursive
 * watches on its ancestors; a deleted node fires all four kinds on it, recursive on ancestors; a child change of
 * a parent fires child and persistent watches on the parent, never recursive ones. A connection gets at most one
 * event per change, and only if it may READ the node the event is about. One-shot watches go when they fire (even
 * when the ACL filter holds the event back, as ZooKeeper does).
 *
 * <p>Threading: every method is synchronized. Registration runs inside {@code Replica.readLocked}, triggering on
 * the apply thread under the replica's write lock, so a registration and the read it belongs to are atomic with
 * respect to changes. Lock order: replica lock, then this monitor.
 */
final class WatchManager {
    static final int DATA = 1;
    static final int CHILD = 2;
    static final int PERSISTENT = 4;
    static final int RECURSIVE = 8;

    /** {@code WatcherType} values of checkWatches/removeWatches. */
    static final int TYPE_CHILDREN = 1;
    static final int TYPE_DATA = 2;
    static final int TYPE_ANY = 3;
    static final int TYPE_PERSISTENT = 4;
    static final int TYPE_PERSISTENT_RECURSIVE = 5;

    private final Map<String, Map<Connection, Integer>> byPath = new HashMap<>();
    private final Map<Connection, Set<String>> byConnection = new HashMap<>();
    private int recursiveCount;

    synchronized void add(String path, Connection connection, int bits) {
        Map<Connection, Integer> watchers = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>());
        int old = watchers.getOrDefault(connection, 0);
        int now = old | bits;
        if ((now & RECURSIVE) != 0 && (old & RECURSIVE) == 0) {
            recursiveCount++;
        }
        watchers.put(connection, now);
        byConnection.computeIfAbsent(connection, c -> new HashSet<>()).add(path);
    }

    /** removeWatches: true if something of that type was removed. */
    synchronized boolean remove(String path, Connection connection, int watcherType) {
        Map<Connection, Integer> watchers = byPath.get(path);
        int old = watchers == null ? 0 : watchers.getOrDefault(connection, 0);
        int mask = maskOf(watcherType);
        if ((old & mask) == 0) {
            return false;
        }
        setBits(path, watchers, connection, old, old & ~mask);
        return true;
    }

    /** checkWatches: whether a watch of that type exists. */
    synchronized boolean contains(String path, Connection connection, int watcherType) {
        Map<Connection, Integer> watchers = byPath.get(path);
        int bits = watchers == null ? 0 : watchers.getOrDefault(connection, 0);
        return (bits & maskOf(watcherType)) != 0;
    }

    /** Drops every watch of a connection (it closed). */
    synchronized void removeAll(Connection connection) {
        Set<String> paths = byConnection.remove(connection);
        if (paths == null) {
            return;
        }
        for (String path : paths) {
            Map<Connection, Integer> watchers = byPath.get(path);
            if (watchers == null) {
                continue;
            }
            Integer bits = watchers.remove(connection);
            if (bits != null && (bits & RECURSIVE) != 0) {
                recursiveCount--;
            }
            if (watchers.isEmpty()) {
                byPath.remove(path);
            }
        }
    }

    /**
     * Delivers the events of one applied transaction, in order, to the outbound queues of the matching
     * connections (called on the apply thread, while readers are held back).
     */
    synchronized void trigger(long zxid, List<ChangeEvent> events, Replica replica) {
        for (ChangeEvent event : events) {
            Set<Connection> targets = matchAndConsume(event);
            if (targets.isEmpty()) {
                continue;
            }
            Reply notification = Reply.notification(zxid, event.type().code(), event.path());
            for (Connection connection : targets) {
                if (event.acl() == null || replica.permits(event.acl(), connection.authIds(), Perms.READ)) {
                    connection.enqueueEvent(notification);
                }
            }
        }
    }

    /** The connections an event goes to; a shared empty set, without allocating, when nobody watches. */
    private Set<Connection> matchAndConsume(ChangeEvent event) {
        String path = event.path();
        int fire;
        int consume;
        boolean ancestors;
        switch (event.type()) {
            case NODE_CREATED, NODE_DATA_CHANGED -> {
                fire = DATA | PERSISTENT | RECURSIVE;
                consume = DATA;
                ancestors = true;
            }
            case NODE_DELETED -> {
                fire = DATA | CHILD | PERSISTENT | RECURSIVE;
                consume = DATA | CHILD;
                ancestors = true;
            }
            default -> {
                fire = CHILD | PERSISTENT;
                consume = CHILD;
                ancestors = false;
            }
        }
        Map<Connection, Integer> watchers = byPath.get(path);
        boolean climb = ancestors && recursiveCount > 0 && event.type() != EventType.NODE_CHILDREN_CHANGED;
        if (watchers == null && !climb) {
            return Set.of(); // the usual case of a write: nobody watches the path
        }
        Set<Connection> targets = new LinkedHashSet<>();
        if (watchers != null) {
            for (Map.Entry<Connection, Integer> e : new ArrayList<>(watchers.entrySet())) {
                int bits = e.getValue();
                if ((bits & fire) != 0) {
                    targets.add(e.getKey());
                    if ((bits & consume) != 0) {
                        setBits(path, watchers, e.getKey(), bits, bits & ~consume);
                    }
                }
            }
        }
        if (climb) {
            String ancestor = path;
            while (!ancestor.equals("/") && !ancestor.isEmpty()) {
                int slash = ancestor.lastIndexOf('/');
                ancestor = slash <= 0 ? "/" : ancestor.substring(0, slash);
                Map<Connection, Integer> above = byPath.get(ancestor);
                if (above != null) {
                    above.forEach((connection, bits) -> {
                        if ((bits & RECURSIVE) != 0) {
                            targets.add(connection);
                        }
                    });
                }
            }
        }
        return targets;
    }

    private void setBits(String path, Map<Connection, Integer> watchers, Connection connection, int old, int now) {
        if ((old & RECURSIVE) != 0 && (now & RECURSIVE) == 0) {
            recursiveCount--;
        }
        if (now == 0) {
            watchers.remove(connection);
            if (watchers.isEmpty()) {
                byPath.remove(path);
            }
            Set<String> paths = byConnection.get(connection);
            if (paths != null) {
                paths.remove(path);
                if (paths.isEmpty()) {
                    byConnection.remove(connection);
                }
            }
        } else {
            watchers.put(connection, now);
        }
    }

    /**
     * Whether {@code type} is a {@code WatcherType} (1..5); ZooKeeper fails to decode any other value and answers
     * checkWatches/removeWatches with MARSHALLINGERROR.
     */
    static boolean isWatcherType(int type) {
        return type >= TYPE_CHILDREN && type <= TYPE_PERSISTENT_RECURSIVE;
    }

    private static int maskOf(int watcherType) {
        return switch (watcherType) {
            case TYPE_CHILDREN -> CHILD;
            case TYPE_DATA -> DATA;
            case TYPE_ANY -> DATA | CHILD | PERSISTENT | RECURSIVE;
            case TYPE_PERSISTENT -> PERSISTENT;
            case TYPE_PERSISTENT_RECURSIVE -> RECURSIVE;
            default -> 0;
        };
    }

    // ---- four-letter-word reports: ZooKeeper 3.9 shows its data table (data, persistent, recursive watches)

    private static boolean inDataTable(int bits) {
        return (bits & (DATA | PERSISTENT | RECURSIVE)) != 0;
    }

    /** {@code wchs}. */
    String summary() {
        Summary sum = summaryCounts();
        return sum.connections() + " connections watching " + sum.paths() + " paths\nTotal watches:" + sum.total()
                + "\n";
    }

    /** What {@code wchs} counts: connections with a watch, watched paths, watches (data table only, as 3.9). */
    record Summary(int connections, int paths, int total) {
    }

    synchronized Summary summaryCounts() {
        Set<Connection> connections = new HashSet<>();
        int paths = 0;
        int total = 0;
        for (Map<Connection, Integer> watchers : byPath.values()) {
            boolean any = false;
            for (Map.Entry<Connection, Integer> e : watchers.entrySet()) {
                if (inDataTable(e.getValue())) {
                    connections.add(e.getKey());
                    total++;
                    any = true;
                }
            }
            if (any) {
                paths++;
            }
        }
        return new Summary(connections.size(), paths, total);
    }

    /** {@code wchc}: per session, its watched paths. */
    String bySession() {
        StringBuilder out = new StringBuilder();
        pathsBySession().forEach((sid, paths) -> {
            out.append("0x").append(Long.toHexString(sid)).append('\n');
            paths.forEach(p -> out.append('\t').append(p).append('\n'));
        });
        return out.toString();
    }

    /** Per session, its watched paths (data table), sessions in id order. */
    synchronized Map<Long, List<String>> pathsBySession() {
        Map<Long, List<String>> sessions = new TreeMap<>();
        byPath.forEach((path, watchers) -> watchers.forEach((connection, bits) -> {
            if (inDataTable(bits)) {
                sessions.computeIfAbsent(connection.sessionId(), s -> new ArrayList<>()).add(path);
            }
        }));
        return sessions;
    }

    /** {@code wchp}: per path, the sessions watching it. */
    String byPathReport() {
        StringBuilder out = new StringBuilder();
        sessionsByPath().forEach((path, sids) -> {
            out.append(path).append('\n');
            sids.forEach(sid -> out.append("\t0x").append(Long.toHexString(sid)).append('\n'));
        });
        return out.toString();
    }

    /** Per watched path (data table, sorted), the sessions watching it. */
    synchronized Map<String, List<Long>> sessionsByPath() {
        Map<String, List<Long>> out = new TreeMap<>();
        byPath.forEach((path, watchers) -> watchers.forEach((connection, bits) -> {
            if (inDataTable(bits)) {
                out.computeIfAbsent(path, p -> new ArrayList<>()).add(connection.sessionId());
            }
        }));
        return out;
    }

    /**
     * mntr {@code zk_watch_count}: ZooKeeper's data-table entries plus its child-table entries, so a connection
     * with a data and a child watch on one path (or a persistent watch, which sits in both tables) counts twice.
     */
    synchronized int count() {
        int total = 0;
        for (Map<Connection, Integer> watchers : byPath.values()) {
            for (int bits : watchers.values()) {
                total += (inDataTable(bits) ? 1 : 0) + ((bits & (CHILD | PERSISTENT)) != 0 ? 1 : 0);
            }
        }
        return total;
    }
}
