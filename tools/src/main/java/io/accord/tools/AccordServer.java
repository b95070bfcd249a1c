package io.accord.tools;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import io.accord.core.port.ReplicationPort;
import io.accord.tools.config.ServerConfig;
import io.accord.zk.server.ZkServer;
import java.util.Objects;

/**
 * One running Accord node: the replica, the replication port it is fed by, and the ZooKeeper client port. This
 * is what {@code accord server} runs, and what tests start in process.
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread.
 */
public final class AccordServer implements AutoCloseable {
    private final ServerConfig config;
    private final ZkServer zk;

    private AccordServer(ServerConfig config, ZkServer zk) {
        this.config = config;
        this.zk = zk;
    }

    /** Starts a node as {@code config} describes and returns once its client port is listening. */
    public static AccordServer start(ServerConfig config) {
        Objects.requireNonNull(config, "config");
        StateMachine replica = new StateMachine(coreConfig(config));
        ReplicationPort port = LocalReplicator.withSystemClock(replica, config.myId(), tickIntervalMs(config));
        ZkServer zk = ZkServer.launch(new ZkServer.Context()
                .replicationPort(port)
                .bindAddress(config.clientPortAddress())
                .port(config.clientPort())
                .tickTimeMs(config.tickTimeMs())
                .minSessionTimeoutMs(config.minSessionTimeoutMs())
                .maxSessionTimeoutMs(config.maxSessionTimeoutMs())
                .maxClientCnxns(config.maxClientCnxns())
                .fourLetterWordWhitelist(config.fourLetterWordWhitelist())
                .maxFrameLength(config.maxBuffer())
                .superDigest(config.superDigest())
                .dataDir(config.dataDir().toString())
                .adminEnableServer(config.adminEnableServer())
                .adminServerAddress(config.adminServerAddress())
                .adminServerPort(config.adminServerPort())
                .closePortOnClose(true));
        return new AccordServer(config, zk);
    }

    /**
     * How often the replicated timer fires: half a tick (sessions expire within a tick of their deadline, as in
     * ZooKeeper), or the container check interval when that is shorter.
     */
    static long tickIntervalMs(ServerConfig config) {
        return Math.max(1, Math.min(config.tickTimeMs() / 2, config.containerCheckIntervalMs()));
    }

    /** The state machine settings a zoo.cfg implies; every member of a cluster must use the same. */
    public static CoreConfig coreConfig(ServerConfig config) {
        return new CoreConfig(config.maxBuffer(), config.extendedTypesEnabled(), config.skipAcl(),
                config.containerCheckIntervalMs(), config.containerMaxPerMinute(),
                config.containerMaxNeverUsedIntervalMs());
    }

    public ServerConfig config() {
        return config;
    }

    /** The bound client port (the configured one, or the one picked for port 0). */
    public int clientPort() {
        return zk.port();
    }

    /** {@code host:port} for a ZooKeeper client on this machine. */
    public String connectString() {
        String host = config.clientPortAddress();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = "127.0.0.1";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + clientPort();
    }

    /** Answers a four-letter word as the client port would ({@code srvr}, {@code mntr}, ...). */
    public String fourLetterWord(String word) {
        return zk.fourLetterWord(word);
    }

    /** Stops accepting, closes client connections (not their sessions) and stops the port. */
    @Override
    public void close() {
        zk.close();
    }
}
