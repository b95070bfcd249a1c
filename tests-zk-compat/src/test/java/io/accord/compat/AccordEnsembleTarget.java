package io.accord.compat;

import io.accord.tools.AccordServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Three Accord members in this JVM forming one Aeron cluster (memory mode), each configured like a ZooKeeper
 * ensemble member: a zoo.cfg with three {@code server.N} lines and a {@code myid} file in its data directory.
 * Clients of the suites use member 1 (see {@link #connectString()}); writes still cross the whole cluster.
 */
public final class AccordEnsembleTarget implements ServerTarget {
    private static final int MEMBERS = 3;

    private final TargetConfig config;
    private final List<AccordServer> servers = new ArrayList<>();
    private Path root;

    public AccordEnsembleTarget(TargetConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "accord-3node";
    }

    @Override
    public synchronized void start() throws Exception {
        root = Files.createTempDirectory("accord-ensemble");
        int[] basePorts = freeBasePorts(MEMBERS);
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= MEMBERS; id++) {
            int base = basePorts[id - 1];
            lines.append("server.").append(id).append("=127.0.0.1:").append(base).append(':').append(base + 5)
                    .append('\n');
        }
        try {
            for (int id = 1; id <= MEMBERS; id++) {
                Path dataDir = Files.createDirectories(root.resolve("node" + id));
                Files.writeString(dataDir.resolve("myid"), id + "\n");
                Properties cfg = AccordTarget.zooCfg(config, dataDir);
                cfg.load(new java.io.StringReader(lines.toString()));
                cfg.setProperty("initLimit", "10");
                cfg.setProperty("syncLimit", "5");
                servers.add(AccordServer.start(AccordTarget.parse(cfg)));
            }
            for (AccordServer server : servers) {
                if (!server.awaitServing(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("accord-3node member " + server.config().myId()
                            + " did not start serving within 60 s");
                }
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Member 1 only. The suites were written against one server and often read with one session what another
     * just wrote; in any ZooKeeper ensemble such a read may legally come from a member that has not applied the
     * write yet. Every write still goes through the three-member log (member 1 may well be a follower), and
     * clients spread over members are tested by accord-cluster's tests with the real client.
     */
    @Override
    public String connectString() {
        return servers.get(0).connectString();
    }

    @Override
    public void restart() {
        throw new IllegalStateException("accord-3node runs in memory mode and has no RESTART capability");
    }

    @Override
    public boolean ensemble() {
        return true;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }

    @Override
    public synchronized void close() {
        for (AccordServer server : servers) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        servers.clear();
        if (root != null) {
            try (var files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temp dir left behind does not affect other tests
            }
            root = null;
        }
    }

    /** Base ports of {@code count} members: five free UDP ports each, below the ephemeral range, 10 apart. */
    private static int[] freeBasePorts(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            if (udpFree(first, count * 10)) {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    ports[i] = first + 10 * i;
                }
                return ports;
            }
        }
        throw new IllegalStateException("no free UDP port range for " + count + " members in 20000..30000");
    }

    private static boolean udpFree(int first, int n) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int p = first; p < first + n; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
