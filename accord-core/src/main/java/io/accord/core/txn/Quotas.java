package io.accord.core.txn;

import io.accord.core.tree.ChildList;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import io.accord.core.tree.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * ZooKeeper's quota accounting, kept as its DataTree keeps it (PROTOCOL.md 8.1). A path P has a quota while
 * {@code /zookeeper/quota/P/zookeeper_limits} exists; P's usage lives in {@code /zookeeper/quota/P/zookeeper_stats}
 * as ZooKeeper's {@code StatsTrack} text ({@code count=N,bytes=M}, any other keys after {@code "=;"}, sorted).
 * <ul>
 *   <li>Creating P's stats node sets it to P's subtree: the number of nodes (P included) and the sum of their
 *       data lengths ({@code zkCli setquota} relies on it).</li>
 *   <li>Every later create, delete and setData of a node under P adjusts the stats of the deepest such P (never
 *       {@code /}): count by ±1, bytes by the change in data length.</li>
 *   <li>The stats node's data is replaced in place: its version, mzxid and mtime stay, and no watch fires.</li>
 *   <li>Limits are not enforced ({@code zookeeper.enforceQuota} is off by default in ZooKeeper too).</li>
 * </ul>
 * Nothing is kept besides the tree itself, so a restored replica needs no rebuild (ZooKeeper rebuilds its path trie
 * from the same nodes on load).
 *
 * <p>Cost: one lookup when {@code /zookeeper/quota} has no children; otherwise a walk down the quota tree along
 * the written path. Threading: apply thread only.
 */
final class Quotas {
    static final String QUOTA_ROOT = "/zookeeper/quota";
    private static final byte[] LIMITS = Utf8.encode("zookeeper_limits");
    private static final String STATS_NAME = "zookeeper_stats";
    private static final byte[] STATS = Utf8.encode(STATS_NAME);

    private final DataTree tree;
    private final Consumer<Node> dirty;
    /** {@code /zookeeper/quota}: a system node that can never be deleted, so looked up once. */
    private Node quotaRoot;

    Quotas(DataTree tree, Consumer<Node> dirty) {
        this.tree = tree;
        this.dirty = dirty;
    }

    /** After {@code path} (child {@code name} of {@code parentPath}) was created with {@code dataLength} bytes. */
    void created(String parentPath, String name, String path, int dataLength) {
        if (STATS_NAME.equals(name) && (parentPath.equals(QUOTA_ROOT) || parentPath.startsWith(QUOTA_ROOT + "/"))) {
            recompute(parentPath.substring(QUOTA_ROOT.length()));
        }
        adjust(path, dataLength, 1);
    }

    /** After {@code path} (which held {@code dataLength} bytes) was deleted. */
    void deleted(String path, int dataLength) {
        adjust(path, -dataLength, -1);
    }

    /** After the data of {@code path} changed length by {@code bytesDiff}. */
    void dataChanged(String path, int bytesDiff) {
        adjust(path, bytesDiff, 0);
    }

    private void adjust(String path, long bytesDiff, int countDiff) {
        Node stats = statsNodeFor(path);
        if (stats == null) {
            return;
        }
        StatsText text = StatsText.parse(stats.data());
        if (text == null) {
            return; // ZooKeeper cannot parse it either; leave it as the client wrote it
        }
        text.count += countDiff;
        text.bytes += bytesDiff;
        write(stats, text);
    }

    /** The stats node of the deepest quota'd prefix of {@code path}, or null when there is none (or no stats). */
    private Node statsNodeFor(String path) {
        if (quotaRoot == null) {
            quotaRoot = tree.find(QUOTA_ROOT);
        }
        if (quotaRoot == null || quotaRoot.numChildren() == 0 || path.length() < 2) {
            return null;
        }
        Node q = quotaRoot;
        Node deepest = null;
        int from = 1;
        while (from <= path.length()) {
            int to = path.indexOf('/', from);
            if (to < 0) {
                to = path.length();
            }
            q = tree.child(q, Utf8.encode(path.substring(from, to)));
            if (q == null) {
                break;
            }
            if (tree.child(q, LIMITS) != null) {
                deepest = q;
            }
            from = to + 1;
        }
        return deepest == null ? null : tree.child(deepest, STATS);
    }

    /** Sets {@code /zookeeper/quota + quotaPath}'s stats to its subtree's usage ("" = the whole tree). */
    private void recompute(String quotaPath) {
        Node stats = tree.find(QUOTA_ROOT + quotaPath + "/" + STATS_NAME);
        if (stats == null) {
            return;
        }
        StatsText text = new StatsText();
        text.count = 0;
        text.bytes = 0;
        Node top = quotaPath.isEmpty() ? tree.root() : tree.find(quotaPath);
        if (top != null) {
            ArrayList<Node> todo = new ArrayList<>();
            todo.add(top);
            while (!todo.isEmpty()) {
                Node n = todo.remove(todo.size() - 1);
                text.count++;
                text.bytes += n.dataLength();
                ChildList kids = n.children();
                for (int i = 0; kids != null && i < kids.size(); i++) {
                    todo.add(kids.get(i));
                }
            }
        }
        write(stats, text);
    }

    private void write(Node stats, StatsText text) {
        tree.setData(stats, text.toString().getBytes(StandardCharsets.UTF_8));
        dirty.accept(stats);
    }

    /** ZooKeeper's {@code StatsTrack} text: count and bytes first, other keys sorted; an absent value is -1. */
    static final class StatsText {
        long count = -1;
        long bytes = -1;
        final TreeMap<String, Long> others = new TreeMap<>();

        /** Parses {@code key=value} pairs separated by ',' or ';'; null when a value is not a number. */
        static StatsText parse(byte[] data) {
            StatsText t = new StatsText();
            if (data == null || data.length == 0) {
                return t;
            }
            for (String pair : new String(data, StandardCharsets.UTF_8).split("[,;]+")) {
                String[] kv = pair.split("=");
                if (kv.length < 1 || kv[0].isEmpty() && kv.length == 1) {
                    continue;
                }
                long value;
                try {
                    value = kv.length < 2 || kv[1].isEmpty() ? -1 : Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return null;
                }
                switch (kv[0]) {
                    case "count" -> t.count = value;
                    case "bytes" -> t.bytes = value;
                    default -> t.others.put(kv[0], value);
                }
            }
            return t;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder().append("count=").append(count).append(",bytes=").append(bytes);
            if (!others.isEmpty()) {
                b.append('=');
                for (Map.Entry<String, Long> e : others.entrySet()) {
                    b.append(';').append(e.getKey()).append('=').append(e.getValue());
                }
            }
            return b.toString();
        }
    }
}
