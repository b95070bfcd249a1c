package io.accord.compat;

import io.accord.tools.AccordServer;
import io.accord.tools.config.ServerConfig;
import io.accord.tools.config.ZooCfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * A single Accord node in this JVM (a one-member Aeron cluster in memory mode), configured through the same zoo.cfg parser {@code accord server} uses, with
 * the settings every target shares (super digest, TTL nodes on, every four-letter word allowed).
 */
public final class AccordTarget implements ServerTarget {
    private final TargetConfig config;
    private Path dataDir;
    private AccordServer server;

    public AccordTarget(TargetConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "accord-1node";
    }

    @Override
    public synchronized void start() throws Exception {
        dataDir = Files.createTempDirectory("accord-target");
        Properties cfg = zooCfg(config, dataDir);
        server = AccordServer.start(parse(cfg));
        if (!server.awaitServing(java.time.Duration.ofSeconds(60))) {
            close();
            throw new IllegalStateException("accord-1node did not start serving within 60 s");
        }
    }

    /**
     * The zoo.cfg every Accord target starts from: the test's tick and session bounds, a free client port on
     * loopback, the shared super digest, TTL nodes as configured (normally on), every four-letter word, the test's container interval, no
     * AdminServer, memory mode.
     */
    static Properties zooCfg(TargetConfig config, Path dataDir) {
        Properties cfg = new Properties();
        cfg.setProperty("tickTime", Integer.toString(config.tickTimeMs()));
        cfg.setProperty("dataDir", dataDir.toString());
        cfg.setProperty("clientPort", "0");
        cfg.setProperty("clientPortAddress", "127.0.0.1");
        cfg.setProperty("minSessionTimeout", Integer.toString(config.minSessionTimeoutMs()));
        cfg.setProperty("maxSessionTimeout", Integer.toString(config.maxSessionTimeoutMs()));
        cfg.setProperty("4lw.commands.whitelist", "*");
        cfg.setProperty("zookeeper.DigestAuthenticationProvider.superDigest", TargetConfig.SUPER_DIGEST);
        cfg.setProperty("zookeeper.extendedTypesEnabled", Boolean.toString(config.extendedTypesEnabled()));
        cfg.setProperty("znode.container.checkIntervalMs", Integer.toString(config.containerCheckIntervalMs()));
        cfg.setProperty("admin.enableServer", "false");
        cfg.setProperty("accord.mode", "memory");
        return cfg;
    }

    /** Parses a target's zoo.cfg as {@code accord server} would, failing on any warning. */
    static ServerConfig parse(Properties cfg) {
        return ZooCfg.parse(cfg, Path.of("."), warning -> {
            throw new IllegalStateException("unexpected zoo.cfg warning: " + warning);
        });
    }

    @Override
    public String connectString() {
        return server.connectString();
    }

    @Override
    public void restart() {
        throw new IllegalStateException("accord-1node runs in memory mode here and does not keep data "
                + "across a restart; RESTART is not among its capabilities");
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // best effort: a temp dir left behind does not affect other tests
            }
            dataDir = null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
