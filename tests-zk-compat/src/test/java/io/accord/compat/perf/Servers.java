package io.accord.compat.perf;

import io.accord.tools.FourLetterWords;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One server configuration of the side-by-side run, started as separate JVMs on loopback (one per member) from
 * the test classpath, so that each process's CPU can be read.
 *
 * <pre>
 *   zk-N-sync / zk-N-nosync          ZooKeeper 3.9.5 QuorumPeerMain, forceSync=yes / no, N = 1 or 3
 *   accord-N-persistent / -memory    io.accord.tools.Accord server, accord.mode persistent / memory
 * </pre>
 *
 * Both: tickTime 2000, -Xmx1g, otherwise defaults. Ports (base B, all checked free for TCP and UDP):
 * client B+i, quorum B+10+5i (Accord's five Aeron ports start there), election B+30+i.
 */
final class Servers implements AutoCloseable {
    static final List<String> ALL = List.of("zk-3-sync", "accord-3-persistent", "zk-3-nosync", "accord-3-memory",
            "zk-1-sync", "accord-1-persistent", "zk-1-nosync", "accord-1-memory");
    private static final List<String> ACCORD_JVM_FLAGS = List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
    private static final int PORTS = 40;
    private static final long START_TIMEOUT_MS = 120_000;

    final String config;
    final List<Jvm> members = new ArrayList<>();
    private final Path dir;
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Path> shmDirs = new ArrayList<>();

    private Servers(String config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    /** The ZooKeeper configuration an Accord configuration is compared with (persistent: fsync, memory: none). */
    static String baselineOf(String accordConfig) {
        String[] p = accordConfig.split("-");
        return "zk-" + p[1] + (p[2].equals("persistent") ? "-sync" : "-nosync");
    }

    static boolean isAccord(String config) {
        return config.startsWith("accord-");
    }

    static void check(String config) {
        if (!ALL.contains(config)) {
            throw new IllegalArgumentException("perf.configs: '" + config + "' (expected some of " + ALL + ")");
        }
    }

    String connectString() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** CPU seconds used so far by all members. */
    double cpuSeconds() {
        double sum = 0;
        for (Jvm m : members) {
            sum += Math.max(0, m.cpuSeconds());
        }
        return sum;
    }

    /** Starts every member and waits until each one serves. */
    static Servers start(String config, String classpath) throws IOException, InterruptedException {
        check(config);
        String[] parts = config.split("-");
        int n = Integer.parseInt(parts[1]);
        Servers s = new Servers(config, Jvm.tempDir("perf-" + config + "-"));
        try {
            int base = freeBase();
            for (int i = 0; i < n; i++) {
                s.clientPorts.add(base + i);
            }
            for (int i = 1; i <= n; i++) {
                Path member = Files.createDirectories(s.dir.resolve("m" + i));
                Path data = Files.createDirectories(member.resolve("data"));
                StringBuilder cfg = new StringBuilder()
                        .append("tickTime=2000\n")
                        .append("dataDir=").append(data).append('\n')
                        .append("clientPort=").append(base + i - 1).append('\n')
                        .append("clientPortAddress=127.0.0.1\n")
                        .append("maxClientCnxns=0\n")
                        .append("admin.enableServer=false\n")
                        .append("4lw.commands.whitelist=srvr,ruok\n");
                if (n > 1) {
                    cfg.append("initLimit=10\nsyncLimit=5\n");
                    for (int j = 1; j <= n; j++) {
                        cfg.append("server.").append(j).append("=127.0.0.1:").append(base + 10 + 5 * (j - 1))
                                .append(':').append(base + 30 + j - 1).append('\n');
                    }
                    Files.writeString(data.resolve("myid"), i + "\n");
                }
                Path cfgFile = member.resolve("zoo.cfg");
                if (isAccord(config)) {
                    cfg.append("accord.mode=").append(parts[2]).append('\n');
                    if (n == 1) {
                        cfg.append("accord.aeron.basePort=").append(base + 10).append('\n');
                    }
                    Files.writeString(cfgFile, cfg);
                    List<String> flags = new ArrayList<>(ACCORD_JVM_FLAGS);
                    flags.add("-Xmx1g");
                    s.members.add(Jvm.launch(config + "/" + i, classpath, flags, "io.accord.tools.Accord",
                            List.of("server", cfgFile.toString()), member, member.resolve("server.log")));
                    s.shmDirs.add(aeronDir(data, n == 1 ? 1 : i));
                } else {
                    cfg.append("forceSync=").append(parts[2].equals("sync") ? "yes" : "no").append('\n');
                    Files.writeString(cfgFile, cfg);
                    s.members.add(Jvm.launch(config + "/" + i, classpath, List.of("-Xmx1g",
                                    "-Dzookeeper.admin.enableServer=false"),
                            "org.apache.zookeeper.server.quorum.QuorumPeerMain", List.of(cfgFile.toString()), member,
                            member.resolve("server.log")));
                }
            }
            s.awaitServing();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Where an Accord member keeps its Aeron files (as AeronReplicationPort.Context names them by default). */
    private static Path aeronDir(Path dataDir, int nodeId) {
        String hash = Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        String base = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        return Path.of(base, "accord-" + System.getProperty("user.name", "user") + "-" + nodeId + "-" + hash);
    }

    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        for (int i = 0; i < members.size(); i++) {
            Jvm m = members.get(i);
            while (true) {
                if (!m.process.isAlive()) {
                    throw new IllegalStateException(m.name + " exited with " + m.process.exitValue()
                            + " before serving:\n" + m.logTail(20));
                }
                String srvr = FourLetterWords.askLocal(clientPorts.get(i), "srvr");
                if (srvr != null && srvr.contains("Mode: ")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(m.name + " did not serve within " + START_TIMEOUT_MS + " ms:\n"
                            + m.logTail(20));
                }
                Thread.sleep(200);
            }
        }
    }

    /** A base port B such that B..B+39 are free on loopback for TCP and UDP (below the ephemeral range). */
    private static int freeBase() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(1_000) * 10;
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + PORTS + " free consecutive ports found in 20000..30000");
    }

    private static boolean allFree(int base) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int p = base; p < base + PORTS; p++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(loopback, p));
            } catch (IOException e) {
                return false;
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, p))) {
                udp.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Stops every member (SIGTERM, then SIGKILL) and removes its files, Aeron's /dev/shm dirs included. */
    @Override
    public void close() {
        for (Jvm m : members) {
            m.process.destroy();
        }
        for (Jvm m : members) {
            m.close();
        }
        for (Path shm : shmDirs) {
            Jvm.deleteRecursively(shm);
        }
        Jvm.removeDir(dir);
    }
}
