package io.accord.tools;

import com.codahale.metrics.MetricRegistry;
import io.accord.cluster.AeronReplicationPort;
import io.accord.cluster.Member;
import io.accord.cluster.StorageMode;
import io.accord.core.CoreConfig;
import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ServerConfig;
import io.accord.tools.config.ServerEntry;
import io.accord.zk.server.ServerRole;
import io.accord.zk.server.ZkServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running Accord node: a member of an Aeron cluster (a one-member cluster when the configuration has no
 * {@code server.N} lines) with its replica, and the ZooKeeper client port in front of it. This is what
 * {@code accord server} runs, and what tests start in process.
 *
 * <p>Aeron ports: each member uses five consecutive ports from a base port. In an ensemble the base is the
 * member's quorum port from its {@code server.N} line, unless {@code accord.aeron.basePort.N} says otherwise;
 * members on one host whose quorum ports are closer than five apart (ZooKeeper's usual local layout) get their
 * ranges spread out from quorum port + 10000 instead (see {@link #spreadHosts}). A standalone node uses
 * {@code accord.aeron.basePort}, by default its client port + 10000 (12181 for 2181), or free ports when that
 * would reach the ephemeral port range (or the client port is 0).
 *
 * <p>Threading: {@link #start} and {@link #close} from one thread.
 */
public final class AccordServer implements AutoCloseable {
    /** Accord's own zoo.cfg keys besides {@code accord.mode}. */
    static final String BASE_PORT = "accord.aeron.basePort";
    static final String HEARTBEAT_TIMEOUT = "accord.aeron.leaderHeartbeatTimeoutMs";
    static final String SNAPSHOT_INTERVAL = "accord.snapshotIntervalMs";
    /** How every Aeron agent waits for work: low-cpu (default), backoff or sleep-Nms. */
    static final String IDLE_STRATEGY = "accord.aeron.idleStrategy";
    /** The MTU of the log and ingress streams in bytes (default: 32 KiB if all members are on loopback, else 1408). */
    static final String MTU = "accord.aeron.mtu";
    /** shared (default: driver, archive and consensus module on one thread) or dedicated (a thread each). */
    static final String THREADING = "accord.aeron.threading";
    /**
     * The client port's I/O threads (Netty event loops: decoding requests, serving reads, writing replies). Default:
     * the machine's cores, divided among the members when all of them run on this machine (every member on a
     * loopback address), at least one; see {@link #defaultIoThreads}.
     */
    static final String IO_THREADS = "accord.ioThreads";
    static final int MAX_IO_THREADS = 1024;
    /** A file holding the secret every member's ingress client must prove it knows (at least 16 bytes). */
    static final String CLUSTER_SECRET_PATH = "accord.clusterSecretPath";
    static final int MIN_SECRET_BYTES = 16;
    /** Where the Aeron ports of members with crowded quorum ports are moved to (see {@link #spreadHosts}). */
    static final int SPREAD_OFFSET = 10_000;
    private static final Set<String> KEYS = Set.of(BASE_PORT, HEARTBEAT_TIMEOUT, SNAPSHOT_INTERVAL,
            IDLE_STRATEGY, MTU, THREADING, IO_THREADS, CLUSTER_SECRET_PATH);

    private final ServerConfig config;
    private final AeronReplicationPort port;
    private final ZkServer zk;
    private final ClusterMetrics clusterMetrics;

    private AccordServer(ServerConfig config, AeronReplicationPort port, ZkServer zk, ClusterMetrics metrics) {
        this.config = config;
        this.port = port;
        this.zk = zk;
        this.clusterMetrics = metrics;
    }

    /**
     * Starts a node as {@code config} describes and returns once its client port is listening (the node serves
     * once its cluster has a leader: see {@link #awaitServing}).
     *
     * <p>The dataDir records the mode and data format it was first written in ({@value DataDirFormat#FILE}); a
     * start in the other mode or by an Accord that does not know the format is refused.
     *
     * <p>The cluster layer's gauges ({@code accord.cluster.*}, see {@link ClusterMetrics}) are registered in the
     * node's metric registry ({@link #metrics()}).
     *
     * @throws ConfigException when the configuration cannot work (e.g. overlapping Aeron ports, a dataDir written
     *                         in the other mode)
     */
    public static AccordServer start(ServerConfig config) {
        Objects.requireNonNull(config, "config");
        List<Member> members = members(config);
        DataDirFormat.checkAndRecord(config.dataDir(), config.memoryMode());
        AeronReplicationPort.Context cluster = new AeronReplicationPort.Context()
                .nodeId(config.myId())
                .members(members)
                .dataDir(config.dataDir())
                .storageMode(config.memoryMode() ? StorageMode.MEMORY : StorageMode.PERSISTENT)
                .coreConfig(coreConfig(config))
                .tickIntervalMs(tickIntervalMs(config));
        String heartbeat = config.accordProperties().get(HEARTBEAT_TIMEOUT);
        if (heartbeat != null) {
            cluster.leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(positiveLong(HEARTBEAT_TIMEOUT, heartbeat)));
        }
        String snapshots = config.accordProperties().get(SNAPSHOT_INTERVAL);
        if (snapshots != null) {
            cluster.snapshotIntervalMs(positiveLong(SNAPSHOT_INTERVAL, snapshots));
        }
        setIfPresent(config, IDLE_STRATEGY, cluster::idleStrategy);
        setIfPresent(config, MTU, v -> cluster.mtu((int) Math.min(Integer.MAX_VALUE, positiveLong(MTU, v))));
        setIfPresent(config, THREADING, cluster::threading);
        String secretPath = config.accordProperties().get(CLUSTER_SECRET_PATH);
        if (secretPath != null) {
            cluster.clusterSecret(clusterSecret(Path.of(secretPath)));
        }
        int ioThreads = ioThreads(config, members); // checked before the port starts, which a bad value would leak
        AeronReplicationPort port;
        try {
            port = AeronReplicationPort.create(cluster);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
        ServerRole role = roleOf(port, members.size());
        ZkServer zk;
        try {
            zk = launchClientPort(config, port, role, ioThreads);
        } catch (IllegalArgumentException e) { // e.g. a TLS key store that cannot be read (the port is closed)
            throw new ConfigException(e.getMessage());
        }
        return new AccordServer(config, port, zk, ClusterMetrics.register(port, zk.metrics()));
    }

    /** {@value #IO_THREADS} if set, else {@link #defaultIoThreads} for this machine and these members. */
    static int ioThreads(ServerConfig config, List<Member> members) {
        String value = config.accordProperties().get(IO_THREADS);
        if (value != null) {
            long n = positiveLong(IO_THREADS, value);
            if (n > MAX_IO_THREADS) {
                throw new ConfigException(IO_THREADS + ": " + n + " (expected: at most " + MAX_IO_THREADS + ")");
            }
            return (int) n;
        }
        return defaultIoThreads(Runtime.getRuntime().availableProcessors(),
                Member.allLoopback(members) ? members.size() : 1);
    }

    /**
     * One I/O thread per core, the cores shared out among the members on this machine: members that run side by
     * side (tests, a laptop, the 2-core benchmark box) each get {@code cores / members}, at least one, so that
     * event loops do not outnumber the cores and preempt each other and the members' own threads. With three
     * members on two cores, one loop each instead of two served 14% to 30% more writes and 7% to 24% more reads
     * in paired runs.
     */
    static int defaultIoThreads(int cores, int membersOnThisMachine) {
        return Math.max(1, cores / Math.max(1, membersOnThisMachine));
    }

    private static ZkServer launchClientPort(ServerConfig config, AeronReplicationPort port, ServerRole role,
                                             int ioThreads) {
        return ZkServer.launch(new ZkServer.Context()
                .replicationPort(port)
                .role(role)
                .ioThreads(ioThreads)
                .bindAddress(config.clientPortAddress())
                .port(config.clientPort())
                .tickTimeMs(config.tickTimeMs())
                .minSessionTimeoutMs(config.minSessionTimeoutMs())
                .maxSessionTimeoutMs(config.maxSessionTimeoutMs())
                .maxClientCnxns(config.maxClientCnxns())
                .globalOutstandingLimit(config.globalOutstandingLimit())
                .secureClientPort(config.secureClientPort())
                .secureBindAddress(config.secureClientPortAddress())
                .tls(config.clientTls())
                .fourLetterWordWhitelist(config.fourLetterWordWhitelist())
                .maxFrameLength(config.maxBuffer())
                .superDigest(config.superDigest())
                .dataDir(config.dataDir().toString())
                .adminEnableServer(config.adminEnableServer())
                .adminServerAddress(config.adminServerAddress())
                .adminServerPort(config.adminServerPort())
                .closePortOnClose(true));
    }

    /**
     * The cluster secret from its file: the file's bytes without trailing line breaks, at least {@value
     * #MIN_SECRET_BYTES}. Every member must read the same bytes, or the others refuse its writes.
     */
    static byte[] clusterSecret(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(CLUSTER_SECRET_PATH + ": cannot read " + file + " (" + e + "); create it with "
                    + "the same random bytes on every member, e.g. 'head -c 32 /dev/urandom | base64 > " + file + "'");
        }
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
            n--;
        }
        if (n < MIN_SECRET_BYTES) {
            throw new ConfigException(CLUSTER_SECRET_PATH + ": " + file + " holds " + n + " bytes; a cluster secret "
                    + "needs at least " + MIN_SECRET_BYTES + " (e.g. 'head -c 32 /dev/urandom | base64 > " + file
                    + "')");
        }
        return Arrays.copyOf(bytes, n);
    }

    /** The cluster members a configuration describes: every {@code server.N} line, or this node alone. */
    static List<Member> members(ServerConfig config) {
        Map<String, String> accord = config.accordProperties();
        for (String key : accord.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith(BASE_PORT + ".")) {
                throw new ConfigException("unknown Accord key " + key + " (known: accord.mode, " + BASE_PORT + ", "
                        + BASE_PORT + ".N, " + HEARTBEAT_TIMEOUT + ", " + SNAPSHOT_INTERVAL + ", "
                        + IDLE_STRATEGY + ", " + MTU + ", " + THREADING + ", " + CLUSTER_SECRET_PATH + ")");
            }
        }
        List<Member> members = new ArrayList<>();
        if (!config.ensemble()) {
            String base = accord.get(BASE_PORT);
            int derived = config.clientPort() + 10_000;
            // Fixed Aeron ports must stay below the ephemeral range (AERON.md section 9).
            int basePort = base != null ? port(BASE_PORT, base)
                    : config.clientPort() != 0 && derived + Member.PORTS_PER_MEMBER <= 32768 ? derived
                    : freeBasePort();
            members.add(member(config.myId(), "127.0.0.1", basePort, BASE_PORT));
            return members;
        }
        Map<String, Integer> spreadFrom = spreadHosts(config);
        for (ServerEntry s : config.servers().values()) {
            if (s.observer()) {
                throw new ConfigException("server." + s.id() + " is an observer; Accord has no observers yet: make it "
                        + "a participant or remove the line");
            }
            String key = BASE_PORT + "." + s.id();
            String override = accord.get(key);
            Integer lowest = spreadFrom.get(s.host());
            int base = override != null ? port(key, override)
                    : lowest == null ? s.quorumPort()
                    : SPREAD_OFFSET + lowest + Member.PORTS_PER_MEMBER * (s.quorumPort() - lowest);
            members.add(member(s.id(), s.host(), base, key));
        }
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                Member a = members.get(i);
                Member b = members.get(j);
                if (a.host().equals(b.host()) && Math.abs(a.basePort() - b.basePort()) < Member.PORTS_PER_MEMBER) {
                    throw new ConfigException("server." + a.id() + " and server." + b.id() + " are both on " + a.host()
                            + " with Aeron base ports " + a.basePort() + " and " + b.basePort() + ": each member uses "
                            + Member.PORTS_PER_MEMBER + " consecutive ports from its base port: set " + BASE_PORT
                            + ".N so the ranges do not overlap");
                }
            }
        }
        return members;
    }

    /**
     * Hosts whose members' quorum ports are closer than five apart (ZooKeeper's usual local layout
     * {@code 2888, 2889, 2890}), with the lowest such quorum port. Their members' Aeron ranges are spread out as
     * {@code 10000 + lowest + 5 * (quorumPort - lowest)} (12888, 12893, 12898): a function of the server lines
     * alone, so every member computes the same. Members with an {@code accord.aeron.basePort.N} keep it.
     */
    private static Map<String, Integer> spreadHosts(ServerConfig config) {
        Map<String, List<Integer>> ports = new java.util.TreeMap<>();
        for (ServerEntry s : config.servers().values()) {
            if (!config.accordProperties().containsKey(BASE_PORT + "." + s.id())) {
                ports.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s.quorumPort());
            }
        }
        Map<String, Integer> spread = new java.util.TreeMap<>();
        ports.forEach((host, list) -> {
            list.sort(null);
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i) - list.get(i - 1) < Member.PORTS_PER_MEMBER) {
                    spread.put(host, list.get(0));
                    return;
                }
            }
        });
        return spread;
    }

    private static Member member(int id, String host, int basePort, String key) {
        try {
            return new Member(id, host, basePort);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    /** Five consecutive free UDP ports on loopback below the ephemeral range (for a standalone node on port 0). */
    private static int freeBasePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + (int) (Math.random() * 10_000);
            if (udpFree(base)) {
                return base;
            }
        }
        throw new ConfigException("found no " + Member.PORTS_PER_MEMBER + " free consecutive UDP ports in "
                + "20000..30000; set " + BASE_PORT);
    }

    private static boolean udpFree(int base) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int p = base; p < base + Member.PORTS_PER_MEMBER; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    private static int port(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + value + "' (expected: a port number)");
        }
    }

    /**
     * Hands the value of Accord key {@code key}, when the file sets it, to {@code setter}; a value the setter
     * rejects ({@link IllegalArgumentException}) is a config error that names the key.
     */
    private static void setIfPresent(ServerConfig config, String key, Consumer<String> setter) {
        String value = config.accordProperties().get(key);
        if (value != null) {
            try {
                setter.accept(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ": " + e.getMessage());
            }
        }
    }

    private static long positiveLong(String key, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + ": '" + value + "' (expected: a whole number > 0)");
    }

    /** {@code srvr}'s Mode: standalone for a one-member cluster, else leader or follower as elections go. */
    private static ServerRole roleOf(AeronReplicationPort port, int members) {
        if (members == 1) {
            return ServerRole.STANDALONE;
        }
        return new ServerRole() {
            @Override
            public String state() {
                return port.isLeader() ? "leader" : "follower";
            }

            @Override
            public int followers() {
                return members - 1;
            }

            @Override
            public int syncedFollowers() {
                return port.syncedFollowers();
            }

            @Override
            public int quorumSize() {
                return members;
            }
        };
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

    /** Waits until the node can serve (its cluster has a leader and its replica caught up). */
    public boolean awaitServing(Duration timeout) {
        return port.awaitServing(timeout);
    }

    /** This node's cluster member. */
    AeronReplicationPort clusterPort() {
        return port;
    }

    public ServerConfig config() {
        return config;
    }

    /** The bound client port (the configured one, or the one picked for port 0). */
    public int clientPort() {
        return zk.port();
    }

    /** The bound TLS client port ({@code secureClientPort}), or -1 when there is none. */
    public int secureClientPort() {
        return zk.securePort();
    }

    /** {@code host:port} for a ZooKeeper client on this machine. */
    public String connectString() {
        String host = config.clientPortAddress();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = "127.0.0.1";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + clientPort();
    }

    /** The node's metric registry: the client port's {@code zk.*} and the cluster's {@code accord.cluster.*}. */
    public MetricRegistry metrics() {
        return zk.metrics();
    }

    /** Answers a four-letter word as the client port would ({@code srvr}, {@code mntr}, ...). */
    public String fourLetterWord(String word) {
        return zk.fourLetterWord(word);
    }

    /** How many I/O threads (event loops) the client port runs. */
    int ioThreads() {
        return zk.ioThreadCount();
    }

    /** The cluster layer's gauges over this member's Aeron counters. */
    ClusterMetrics clusterMetrics() {
        return clusterMetrics;
    }

    /** Stops accepting, closes client connections (not their sessions) and leaves the cluster. */
    @Override
    public void close() {
        zk.close();
        clusterMetrics.close();
    }
}
