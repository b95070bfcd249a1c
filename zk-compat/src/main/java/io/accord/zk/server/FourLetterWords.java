package io.accord.zk.server;

import io.accord.core.Replica;
import io.accord.core.session.SessionInfo;
import io.accord.core.txn.Result;
import io.accord.zk.codec.FourLetterWord;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers four-letter words (PROTOCOL.md 9) in ZooKeeper 3.9's formats, then closes the connection. A word
 * outside the whitelist gets ZooKeeper's "not in the whitelist" line; while the node is not serving, every word
 * except {@code ruok} and {@code isro} gets the "not currently serving requests" line.
 */
final class FourLetterWords {
    /** What {@code srvr}/{@code envi} report as the ZooKeeper version: the protocol level Accord implements. */
    static final String VERSION = "3.9.6-accord, built on 2026-01-01 00:00 UTC";
    private static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";
    /** ZooTrace's default mask (client requests, server packets, sessions, warnings). */
    private volatile long traceMask = 306;

    private final ServerNode node;

    FourLetterWords(ServerNode node) {
        this.node = node;
    }

    long traceMask() {
        return traceMask;
    }

    void setTraceMask(long mask) {
        traceMask = mask;
    }

    void answer(Channel channel, FourLetterWord word) {
        String text = render(word);
        channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
    }

    String render(FourLetterWord word) {
        String w = word.word();
        if (!node.config.fourLetterWordAllowed(w)) {
            return w + " is not executed because it is not in the whitelist.\n";
        }
        boolean serving = node.port.serving();
        switch (w) {
            case "ruok":
                return "imok";
            case "isro":
                return serving ? "rw" : "null";
            case "gtmk":
                return Long.toString(traceMask);
            case "stmk":
                traceMask = word.argument();
                return Long.toString(traceMask);
            default:
                break;
        }
        if (!serving) {
            return NOT_SERVING;
        }
        return switch (w) {
            case "srvr" -> serverStats(false);
            case "stat" -> serverStats(true);
            case "cons" -> connections() + "\n";
            case "crst" -> {
                node.connections.forEach(c -> c.stats.reset());
                yield "Connection stats reset.\n";
            }
            case "srst" -> {
                node.stats.reset();
                yield "Server stats reset.\n";
            }
            case "conf" -> conf();
            case "envi" -> environment();
            case "mntr" -> monitor();
            case "wchs" -> node.watches.summary();
            case "wchc" -> node.watches.bySession() + "\n";
            case "wchp" -> node.watches.byPathReport() + "\n";
            case "dump" -> dump();
            case "dirs" -> "datadir_size: " + dirSize() + "\nlogdir_size: " + dirSize() + "\n";
            case "hash" -> "";
            default -> "";
        };
    }

    private String serverStats(boolean withClients) {
        Replica replica = node.replica;
        ServerStats stats = node.stats;
        StringBuilder out = new StringBuilder();
        out.append("Zookeeper version: ").append(VERSION).append('\n');
        if (withClients) {
            out.append("Clients:\n");
            for (Connection c : node.connections) {
                out.append(line(c, false)).append('\n');
            }
            out.append('\n');
        }
        out.append("Latency min/avg/max: ").append(stats.minLatencyMs()).append('/').append(stats.avgLatencyMs())
                .append('/').append(stats.maxLatencyMs()).append('\n');
        out.append("Received: ").append(stats.packetsReceived()).append('\n');
        out.append("Sent: ").append(stats.packetsSent()).append('\n');
        out.append("Connections: ").append(node.connections.size()).append('\n');
        out.append("Outstanding: ").append(outstanding()).append('\n');
        out.append("Zxid: 0x").append(Long.toHexString(replica.lastZxid())).append('\n');
        out.append("Mode: ").append(node.config.role().state()).append('\n');
        out.append("Node count: ").append(nodeCount()).append('\n');
        return out.toString();
    }

    /** ZooKeeper counts the internal "" entry as well as "/" (a fresh server shows 5). */
    int nodeCount() {
        return node.replica.nodeCount() + 1;
    }

    int outstanding() {
        return node.outstanding();
    }

    private static String line(Connection c, boolean full) {
        return " /" + c.remoteIp() + ":" + c.remote().getPort() + "[" + (c.reading() ? 1 : 0) + "]"
                + c.stats.brief(c.queued()) + (full ? c.stats.full() : "") + ")";
    }

    private String connections() {
        StringBuilder out = new StringBuilder();
        for (Connection c : node.connections) {
            out.append(line(c, true)).append('\n');
        }
        return out.toString();
    }

    private String conf() {
        StringBuilder out = new StringBuilder();
        confValues().forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** {@code conf}'s keys and values, in its order. */
    Map<String, Object> confValues() {
        ZkServer.Context config = node.config;
        String dataDir = config.dataDir() == null ? "" : config.dataDir();
        long dirSize = dirSize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientPort", node.boundPort);
        m.put("secureClientPort", node.boundSecurePort);
        m.put("dataDir", dataDir);
        m.put("dataDirSize", dirSize);
        m.put("dataLogDir", dataDir);
        m.put("dataLogSize", dirSize);
        m.put("tickTime", config.tickTimeMs());
        m.put("maxClientCnxns", config.maxClientCnxns());
        m.put("minSessionTimeout", config.minSessionTimeoutMs());
        m.put("maxSessionTimeout", config.maxSessionTimeoutMs());
        m.put("clientPortListenBacklog", -1);
        // a standalone ZooKeeper has no myid and prints 0
        m.put("serverId", "standalone".equals(config.role().state()) ? 0L : (long) node.nodeId);
        return m;
    }

    private String environment() {
        StringBuilder out = new StringBuilder("Environment:\n");
        environmentValues().forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** {@code envi}'s keys and values, in its order. */
    static Map<String, String> environmentValues() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("zookeeper.version", VERSION);
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            host = "<NA>";
        }
        env.put("host.name", host);
        for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
                "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name", "user.home",
                "user.dir")) {
            env.put(key, System.getProperty(key, "<NA>"));
        }
        Runtime rt = Runtime.getRuntime();
        env.put("os.memory.free", (rt.freeMemory() / (1024 * 1024)) + "MB");
        env.put("os.memory.max", (rt.maxMemory() / (1024 * 1024)) + "MB");
        env.put("os.memory.total", (rt.totalMemory() / (1024 * 1024)) + "MB");
        return env;
    }

    private String monitor() {
        StringBuilder out = new StringBuilder();
        monitorValues().forEach((k, v) -> out.append("zk_").append(k).append('\t').append(v).append('\n'));
        return out.toString();
    }

    /**
     * What {@code mntr} prints, without the {@code zk_} prefix, typed as the AdminServer's {@code monitor} shows
     * them. {@code version} and {@code server_state} come first; the rest follow in the order ZooKeeper 3.9.5
     * prints them (its own order, a hash map's, which monitoring scripts that diff outputs see);
     * MonitorFormatTest checks it against a real server. A leader adds its follower counts at the end.
     */
    Map<String, Object> monitorValues() {
        Replica replica = node.replica;
        ServerStats stats = node.stats;
        ServerRole role = node.config.role();
        String state = role.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("server_state", state);
        m.put("ephemerals_count", replica.ephemeralCount());
        m.put("num_alive_connections", node.connections.size());
        m.put("avg_latency", stats.avgLatencyMs());
        m.put("outstanding_requests", (long) outstanding());
        m.put("znode_count", nodeCount());
        m.put("global_sessions", (long) replica.sessionCount());
        m.put("non_mtls_remote_conn_count", 0L);
        m.put("last_client_response_size", stats.lastResponseSize());
        m.put("packets_sent", stats.packetsSent());
        m.put("packets_received", stats.packetsReceived());
        m.put("max_client_response_size", stats.maxResponseSize());
        m.put("connection_drop_probability", 0.0);
        m.put("watch_count", node.watches.count());
        m.put("auth_failed_count", stats.authFailedCount());
        m.put("min_latency", stats.minLatencyMs());
        FileDescriptors fds = FileDescriptors.read();
        if (fds != null) {
            m.put("max_file_descriptor_count", fds.max());
        }
        m.put("approximate_data_size", replica.approximateDataSize());
        if (fds != null) {
            m.put("open_file_descriptor_count", fds.open());
        }
        m.put("local_sessions", 0L);
        m.put("uptime", stats.uptimeMs());
        m.put("max_latency", stats.maxLatencyMs());
        m.put("outstanding_tls_handshake", 0);
        m.put("min_client_response_size", stats.minResponseSize());
        m.put("non_mtls_local_conn_count", 0L);
        m.put("bytes_received_count", stats.bytesReceivedCount());
        stats.dumpLatencySummaries(m);
        ensembleValues(role, state, m);
        return m;
    }

    /**
     * What ZooKeeper 3.9 adds on an ensemble member: {@code quorum_size}, and on the leader its learner counts and
     * uptime. Accord has no observers or non-voting followers and forwards no syncs, so those are 0. The
     * position of these keys among the others is not checked against a real ensemble; they come last.
     */
    private static void ensembleValues(ServerRole role, String state, Map<String, Object> m) {
        if (role.quorumSize() > 0) {
            m.put("quorum_size", role.quorumSize());
        }
        if ("leader".equals(state)) {
            m.put("learners", role.followers());
            m.put("followers", role.followers());
            m.put("synced_followers", role.syncedFollowers());
            m.put("synced_non_voting_followers", 0);
            m.put("synced_observers", 0);
            m.put("pending_syncs", 0);
            m.put("leader_uptime", role.leaderUptimeMs());
        }
    }

    /** Open and maximum file descriptors of this process, or null where the JVM cannot tell (not Unix). */
    record FileDescriptors(long open, long max) {
        static FileDescriptors read() {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return new FileDescriptors(unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount());
            }
            return null;
        }
    }

    /**
     * {@code dump}: the sessions of this node's connections grouped by expiry deadline (ZooKeeper prints its
     * expiry queue the same way), their ephemerals, then the connections.
     */
    private String dump() {
        SessionDump dump = sessionDump();
        int sessions = dump.byDeadline().values().stream().mapToInt(List::size).sum();
        StringBuilder out = new StringBuilder("SessionTracker dump:\n");
        out.append("Session Sets (").append(dump.byDeadline().size()).append(")/(").append(sessions).append("):\n");
        dump.byDeadline().forEach((deadline, ids) -> {
            out.append(ids.size()).append(" expire at ").append(new Date(deadline)).append(":\n");
            ids.forEach(sid -> out.append("\t0x").append(Long.toHexString(sid)).append('\n'));
        });
        out.append("ephemeral nodes dump:\n");
        out.append("Sessions with Ephemerals (").append(dump.ephemerals().size()).append("):\n");
        dump.ephemerals().forEach((sid, paths) -> {
            out.append("0x").append(Long.toHexString(sid)).append(":\n");
            paths.forEach(p -> out.append('\t').append(p).append('\n'));
        });
        out.append("Connections dump:\n");
        connectionDump(out);
        return out.toString();
    }

    /**
     * The connections grouped by when they expire, as ZooKeeper's connection expiry queue prints them: a
     * connection with a session expires with it, one without when its handshake time runs out.
     */
    private void connectionDump(StringBuilder out) {
        Map<Long, List<Connection>> byDeadline = new TreeMap<>();
        int count = 0;
        for (Connection c : node.connections) {
            long sid = c.sessionId();
            SessionInfo info = sid == 0 ? null : node.replica.session(sid);
            long deadline = info != null ? info.deadlineMs()
                    : c.stats.establishedMs() + node.config.handshakeTimeoutMs();
            byDeadline.computeIfAbsent(expiryBucket(deadline, CONNECTION_EXPIRY_INTERVAL_MS), d -> new ArrayList<>())
                    .add(c);
            count++;
        }
        out.append("Connections Sets (").append(byDeadline.size()).append(")/(").append(count).append("):\n");
        byDeadline.forEach((deadline, list) -> {
            out.append(list.size()).append(" expire at ").append(new Date(deadline)).append(":\n");
            for (Connection c : list) {
                out.append("\tip: /").append(c.remoteIp()).append(':')
                        .append(c.remote() == null ? 0 : c.remote().getPort())
                        .append(" sessionId: 0x").append(Long.toHexString(c.sessionId())).append('\n');
            }
        });
    }

    /**
     * ZooKeeper's NIO connection factory expires connections in buckets of this many ms
     * ({@code zookeeper.nio.sessionlessCnxnTimeout}, default 10 s).
     */
    private static final long CONNECTION_EXPIRY_INTERVAL_MS = 10_000;

    /**
     * The bucket ZooKeeper's expiry queues file a deadline under: the next multiple of {@code intervalMs} after it
     * (tickTime for sessions), so that sessions and connections renewed within one interval are listed together.
     */
    static long expiryBucket(long deadlineMs, long intervalMs) {
        return (deadlineMs / intervalMs + 1) * intervalMs;
    }

    /**
     * The sessions of this node's connections by expiry bucket (ms, see {@link #expiryBucket}), and their
     * ephemerals.
     */
    record SessionDump(Map<Long, List<Long>> byDeadline, Map<Long, List<String>> ephemerals) {
    }

    SessionDump sessionDump() {
        Replica replica = node.replica;
        Map<Long, List<Long>> byDeadline = new TreeMap<>();
        Map<Long, List<String>> ephemerals = new TreeMap<>();
        for (Connection c : node.connections) {
            long sid = c.sessionId();
            SessionInfo info = sid == 0 ? null : replica.session(sid);
            if (info == null) {
                continue;
            }
            long bucket = expiryBucket(info.deadlineMs(), node.config.tickTimeMs());
            byDeadline.computeIfAbsent(bucket, d -> new ArrayList<>()).add(sid);
            Result r = replica.getEphemerals(sid, "/");
            if (r instanceof Result.Paths paths && !paths.paths().isEmpty()) {
                ephemerals.put(sid, new ArrayList<>(paths.paths()));
            }
        }
        byDeadline.values().forEach(ids -> ids.sort(null));
        return new SessionDump(byDeadline, ephemerals);
    }

    long dirSize() {
        String dir = node.config.dataDir();
        return dir == null ? 0 : size(new File(dir));
    }

    private static long size(File file) {
        if (file.isFile()) {
            return file.length();
        }
        File[] children = file.listFiles();
        long total = 0;
        if (children != null) {
            for (File child : children) {
                total += size(child);
            }
        }
        return total;
    }
}
