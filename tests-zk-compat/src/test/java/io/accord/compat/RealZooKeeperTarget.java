package io.accord.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;

import io.accord.compat.support.Ports;

/**
 * A real standalone ZooKeeper 3.9.5 server in this JVM, run through {@link ZooKeeperServerMain} so that
 * it has the same container manager and connection factory as a production server. Data lives in a
 * fresh temporary directory; the client port is a free loopback port that stays the same across
 * {@link #restart()}.
 *
 * <p>Some ZooKeeper settings are JVM-wide system properties read once per class load (the super digest)
 * or on every use (extended types, the 4lw whitelist); they are set in the static initializer, before
 * any server class is loaded, and are the same for every instance. The one exception: a target configured
 * without extended types turns {@code zookeeper.extendedTypesEnabled} off from its start to its close, which
 * turns TTL nodes off for every real ZooKeeper in this JVM meanwhile (the suites run one at a time).
 */
public final class RealZooKeeperTarget implements ServerTarget {

    private static final String EXTENDED_TYPES = "zookeeper.extendedTypesEnabled";

    static {
        System.setProperty("zookeeper.DigestAuthenticationProvider.superDigest", TargetConfig.SUPER_DIGEST);
        System.setProperty(EXTENDED_TYPES, "true");
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        System.setProperty("zookeeper.admin.enableServer", "false");
        System.setProperty("znode.container.checkIntervalMs", Integer.toString(TargetConfig.CONTAINER_CHECK_INTERVAL_MS));
        // Force the snapshot/txn log to be small and quick to create in a temp dir.
        System.setProperty("zookeeper.preAllocSize", "1024");
        System.setProperty("zookeeper.forceSync", "no");
    }

    private final TargetConfig config;
    private Path dataDir;
    private int port;
    private Embedded server;

    public RealZooKeeperTarget(TargetConfig config) {
        this.config = config;
        if (config.containerCheckIntervalMs() != TargetConfig.CONTAINER_CHECK_INTERVAL_MS) {
            throw new IllegalArgumentException("containerCheckIntervalMs: " + config.containerCheckIntervalMs()
                + " (expected: " + TargetConfig.CONTAINER_CHECK_INTERVAL_MS + ", a JVM-wide property for the real ZooKeeper)");
        }
    }

    @Override
    public String name() {
        return Targets.REFERENCE.name();
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        if (!config.extendedTypesEnabled()) {
            System.setProperty(EXTENDED_TYPES, "false"); // read by EphemeralType on every create
        }
        dataDir = Files.createTempDirectory("zk-real-");
        port = Ports.freeLoopbackPort();
        Path cfg = dataDir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
            "tickTime=" + config.tickTimeMs(),
            "minSessionTimeout=" + config.minSessionTimeoutMs(),
            "maxSessionTimeout=" + config.maxSessionTimeoutMs(),
            "dataDir=" + dataDir.resolve("data"),
            "clientPort=" + port,
            "clientPortAddress=127.0.0.1",
            "maxClientCnxns=0",
            ""));
        server = launch();
    }

    private Embedded launch() throws Exception {
        ServerConfig serverConfig = new ServerConfig();
        serverConfig.parse(dataDir.resolve("zoo.cfg").toString());
        Embedded embedded = new Embedded();
        Thread thread = new Thread(() -> {
            try {
                embedded.runFromConfig(serverConfig);
                embedded.stopped.complete(null);
            } catch (Throwable t) {
                embedded.started.completeExceptionally(t);
                embedded.stopped.completeExceptionally(t);
            }
        }, "zk-real-" + port);
        thread.setDaemon(true);
        thread.start();
        embedded.started.get(30, TimeUnit.SECONDS);
        awaitAccepting();
        return embedded;
    }

    private void awaitAccepting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ZooKeeper did not accept connections on port " + port, e);
                }
                Thread.sleep(10);
            }
        }
    }

    @Override
    public String connectString() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void restart() throws Exception {
        stopServer();
        server = launch();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.RESTART);
    }

    private void stopServer() {
        Embedded s = server;
        server = null;
        if (s != null) {
            s.stop();
            try {
                s.stopped.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // a failure to start was already reported by start(); shutting down is best effort
            }
        }
    }

    @Override
    public synchronized void close() {
        stopServer();
        if (!config.extendedTypesEnabled()) {
            System.setProperty(EXTENDED_TYPES, "true");
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // temp dir; leftovers are harmless
        }
    }

    @Override
    public String toString() {
        return name() + (server == null ? "" : "@" + connectString());
    }

    /** Exposes the protected lifecycle hooks of {@link ZooKeeperServerMain}. */
    private static final class Embedded extends ZooKeeperServerMain {
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> stopped = new CompletableFuture<>();

        @Override
        protected void serverStarted() {
            started.complete(null);
        }

        void stop() {
            shutdown();
        }
    }
}
