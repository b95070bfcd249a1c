package io.accord.zk.server;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.metrics.impl.DefaultMetricsProvider;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ServerMetrics;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.admin.JettyAdminServer;

/**
 * A real ZooKeeper 3.9.5 standalone server in this JVM, set up as {@code zkServer.sh} would (default metrics
 * provider, every four-letter word allowed) with its Jetty AdminServer: the reference Accord's outputs are
 * compared with.
 */
final class RealZooKeeper implements AutoCloseable {
    private final File dir;
    private final DefaultMetricsProvider metrics = new DefaultMetricsProvider();
    final ZooKeeperServer server;
    final ServerCnxnFactory factory;
    final JettyAdminServer admin;
    final int adminPort;

    RealZooKeeper() throws Exception {
        this(60);
    }

    /** With {@code maxClientCnxns} per client address (ZooKeeper's default is 60). */
    RealZooKeeper(int maxClientCnxns) throws Exception {
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        metrics.start();
        ServerMetrics.metricsProviderInitialized(metrics);
        dir = Files.createTempDirectory("real-zk").toFile();
        server = new ZooKeeperServer(dir, dir, 2000);
        factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), maxClientCnxns);
        factory.startup(server);
        adminPort = freePort();
        admin = new JettyAdminServer("127.0.0.1", adminPort, 30_000, "/commands", 11, false, false, false);
        admin.setZooKeeperServer(server);
        admin.start();
    }

    int clientPort() {
        return factory.getLocalPort();
    }

    private ServerCnxnFactory secureFactory;
    private final Map<String, String> secureProperties = new HashMap<>();

    /**
     * Adds a TLS client port as ZooKeeper's SSL guide sets one up ({@code serverCnxnFactory=NettyServerCnxnFactory},
     * {@code authProvider.x509=X509AuthenticationProvider}, {@code ssl.*}; here as the {@code zookeeper.*} system
     * properties zoo.cfg becomes, set until {@link #close}: ZooKeeper reads them for every new connection) and
     * returns its port.
     */
    int startSecurePort(Map<String, String> ssl) throws Exception {
        secureProperties.putAll(ssl);
        secureProperties.put("zookeeper.serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
        secureProperties.put("zookeeper.authProvider.x509",
                "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        secureProperties.forEach(System::setProperty);
        ProviderRegistry.reset();
        ProviderRegistry.initialize();
        secureFactory = ServerCnxnFactory.createFactory();
        secureFactory.configure(new InetSocketAddress("127.0.0.1", 0), 60, -1, true);
        secureFactory.startup(server, false);
        System.clearProperty("zookeeper.serverCnxnFactory"); // only this factory is Netty
        return secureFactory.getLocalPort();
    }

    String connectString() {
        return "127.0.0.1:" + clientPort();
    }

    /**
     * The keys the metrics provider adds to {@code mntr}: counters and summaries of ZooKeeper's own request
     * pipeline (prep, sync and commit processors, learners, snapshots, ...), which have no Accord counterpart.
     */
    Set<String> providerKeys() {
        Set<String> keys = new HashSet<>();
        metrics.dump((key, value) -> keys.add(key));
        return keys;
    }

    /** Jetty does not report the port it bound, so the AdminServer gets a port that was free a moment ago. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (secureFactory != null) {
            secureFactory.shutdown();
            secureProperties.keySet().forEach(System::clearProperty);
            ProviderRegistry.reset();
        }
        admin.shutdown();
        factory.shutdown();
        server.shutdown();
        metrics.stop();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        file.delete();
    }
}
