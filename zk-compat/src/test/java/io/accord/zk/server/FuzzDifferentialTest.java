package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * The same seeded hostile connections ({@link HostileInput}) sent to a real ZooKeeper 3.9.5 and to Accord; afterwards
 * the trees must hold the same persistent nodes with the same data, ACLs and versions: whatever the hostile
 * requests did, they did as on ZooKeeper, and what ZooKeeper refused changed nothing on Accord either. (Ephemeral
 * nodes are left out: they go with the fuzz sessions, which expire at their own time on each server.)
 */
class FuzzDifferentialTest {
    private static final long SEED = 0xd1ff;

    @Test
    void hostileConnectionsChangeTheTreeAsOnZooKeeper() throws Exception {
        int iterations = HostileInput.iterations(300);
        SortedMap<String, String> zooKeeper;
        try (RealZooKeeper real = new RealZooKeeper()) {
            zooKeeper = run(real.connectString(), real.clientPort(), iterations);
        }
        SortedMap<String, String> accord;
        // TTL nodes as in a stock ZooKeeper: off (zookeeper.extendedTypesEnabled)
        try (TestServer server = TestServer.start(io.accord.core.CoreConfig.defaults().withExtendedTypesEnabled(false),
                2000, c -> c)) {
            accord = run(server.connectString(), server.port(), iterations);
        }
        List<String> differences = new ArrayList<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(zooKeeper.keySet());
        paths.addAll(accord.keySet());
        for (String path : paths) {
            String z = zooKeeper.get(path);
            String a = accord.get(path);
            if (!java.util.Objects.equals(z, a)) {
                differences.add(path + ": ZooKeeper " + z + " / Accord " + a);
            }
        }
        assertEquals(List.of(), differences, "nodes that differ, of " + paths.size());
        assertTrue(!paths.equals(java.util.Set.of("/", "/fuzz", "/fuzz/a", "/fuzz/b", "/fuzz/b/c")),
                "the hostile requests should have changed the tree: " + paths);
    }

    private static SortedMap<String, String> run(String connectString, int port, int iterations) throws Exception {
        ZooKeeper zk = Clients.connect(connectString, 30_000, new Clients.Recorder());
        try {
            for (String path : List.of("/fuzz", "/fuzz/a", "/fuzz/b", "/fuzz/b/c")) {
                zk.create(path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            HostileInput input = new HostileInput(SEED, 0xfffff);
            for (int i = 0; i < iterations; i++) {
                HostileInput.Case c = beforeFirstFailingFrame(input.next());
                String what = "case " + i + " (" + c.kind() + "): "
                        + HexFormat.of().formatHex(c.bytes(), 0, Math.min(c.bytes().length, 96));
                try (RawClient client = new RawClient(port)) {
                    SocketFuzzTest.play(client, c, input.chunks(c.bytes()), what);
                }
            }
            zk.sync("/", (rc, path, ctx) -> { }, null); // this session's reads come after every write so far
            SortedMap<String, String> tree = new TreeMap<>();
            dump(zk, "/", tree);
            return tree;
        } finally {
            zk.close();
        }
    }

    /**
     * The stream before its first frame that fails the connection (a length out of bounds or past the end, a frame
     * too short for a header, an unknown opcode, a check outside multi). Requests received before such a frame have no answer, and
     * ZooKeeper still runs them (it hands each to its pipeline as it reads it) while Accord may drop the ones still
     * waiting: either is allowed for a request without an answer, so those streams are compared up to the bad frame.
     * (ZooKeeper even answers the bad frame ahead of requests read before it, whose answers are then lost.)
     */
    private static HostileInput.Case beforeFirstFailingFrame(HostileInput.Case c) {
        if (!c.handshake() || !c.complete()) {
            return c;
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(c.bytes());
        boolean first = true;
        while (in.remaining() >= 4) {
            int start = in.position();
            int length = in.getInt();
            int type = length < 8 || length > in.remaining() ? -1 : in.getInt(in.position() + 4);
            boolean fails = length < 8 || length > in.remaining() || length > 0xfffff
                    || io.accord.zk.proto.OpCode.of(type) == null || type == io.accord.zk.proto.OpCode.CHECK.code();
            if (!first && fails) {
                return new HostileInput.Case(c.kind(), java.util.Arrays.copyOf(c.bytes(), start), true, true);
            }
            first = false;
            in.position(in.position() + length);
        }
        return c;
    }

    /** Every persistent node but /zookeeper's: its data, ACL and version. */
    private static void dump(ZooKeeper zk, String path, SortedMap<String, String> tree) throws Exception {
        if (path.equals("/zookeeper")) {
            return;
        }
        Stat stat;
        try {
            stat = zk.exists(path, false);
        } catch (org.apache.zookeeper.KeeperException.NoAuthException e) {
            tree.put(path, "(not readable)"); // ZooKeeper 3.9 checks READ on exists too
            return;
        }
        if (stat == null) {
            return;
        }
        String acl;
        try {
            acl = zk.getACL(path, null).toString();
        } catch (org.apache.zookeeper.KeeperException.NoAuthException e) {
            acl = "(ACL not readable)";
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            return; // an ephemeral whose session just ended
        }
        String data;
        List<String> children;
        try {
            byte[] bytes = zk.getData(path, false, null);
            data = bytes == null ? "null" : HexFormat.of().formatHex(bytes);
            children = zk.getChildren(path, false);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            return;
        } catch (org.apache.zookeeper.KeeperException.NoAuthException e) {
            data = "(not readable)";
            children = List.of(); // a hostile ACL without read: its children cannot be listed on either server
        }
        if (stat.getEphemeralOwner() != 0) {
            return; // owned by a fuzz session that expires at its own time on each server
        }
        tree.put(path, data + " " + acl + " v" + stat.getVersion());
        children = new ArrayList<>(children);
        children.sort(null);
        for (String child : children) {
            dump(zk, path.equals("/") ? "/" + child : path + "/" + child, tree);
        }
    }
}
