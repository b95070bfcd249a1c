package io.accord.compat.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A member's state as a client sees it: every znode (but /zookeeper) with its data and its whole Stat, read through
 * a session on that member alone after a sync. Equal digests on all members mean equal replicas.
 */
final class StateDigest {
    private StateDigest() {
    }

    static Map<String, String> of(ZooKeeper zk) throws KeeperException, InterruptedException {
        zk.sync("/");
        Map<String, String> nodes = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of("/"));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            Stat stat = new Stat();
            byte[] data;
            List<String> children;
            try {
                data = zk.getData(path, false, stat);
                children = zk.getChildren(path, false);
            } catch (KeeperException.NoNodeException e) {
                nodes.put(path, "(vanished during the walk)");
                continue;
            }
            nodes.put(path, stat.toString().trim().replace('\n', ' ') + " data="
                    + (data == null ? "null" : Arrays.hashCode(data) + "/" + new String(data, 0,
                    Math.min(data.length, 40), StandardCharsets.UTF_8)));
            for (String child : children) {
                String childPath = (path.equals("/") ? "" : path) + "/" + child;
                if (!childPath.equals("/zookeeper")) {
                    todo.push(childPath);
                }
            }
        }
        return nodes;
    }

    /** The differences between two digests (at most {@code max} lines), empty when equal. */
    static List<String> diff(String a, Map<String, String> da, String b, Map<String, String> db, int max) {
        List<String> out = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(da.keySet());
        paths.addAll(db.keySet());
        for (String path : paths) {
            String x = da.get(path);
            String y = db.get(path);
            if (x == null || !x.equals(y)) {
                if (out.size() == max) {
                    out.add("...");
                    break;
                }
                out.add(path + ": " + a + " " + x + " | " + b + " " + y);
            }
        }
        return out;
    }
}
