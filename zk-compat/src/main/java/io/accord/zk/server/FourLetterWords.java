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
        out.append("Mode: ").append(node.config.mode()).append('\n');
        out.append("Node count: ").append(nodeCount()).append('\n');
        return out.toString();
    }

    /** ZooKeeper counts the internal "" entry as well as "/" (a fresh server shows 5). */
    private int nodeCount() {
        return node.replica.nodeCount() + 1;
    }

    private int outstanding() {
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
        ZkServer.Context config = node.config;
        StringBuilder out = new StringBuilder();
        out.append("clientPort=").append(node.boundPort).append('\n');
        out.append("secureClientPort=-1\n");
        out.append("dataDir=").append(config.dataDir() == null ? "" : config.dataDir()).append('\n');
        out.append("dataDirSize=").append(dirSize()).append('\n');
        out.append("dataLogDir=").append(config.dataDir() == null ? "" : config.dataDir()).append('\n');
        out.append("dataLogSize=").append(dirSize()).append('\n');
        out.append("tickTime=").append(config.tickTimeMs()).append('\n');
        out.append("maxClientCnxns=").append(config.maxClientCnxns()).append('\n');
        out.append("minSessionTimeout=").append(config.minSessionTimeoutMs()).append('\n');
        out.append("maxSessionTimeout=").append(config.maxSessionTimeoutMs()).append('\n');
        out.append("clientPortListenBacklog=-1\n");
        out.append("serverId=").append(node.nodeId).append('\n');
        return out.toString();
    }

    private String environment() {
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
        StringBuilder out = new StringBuilder("Environment:\n");
        env.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private String monitor() {
        Replica replica = node.replica;
        ServerStats stats = node.stats;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("server_state", node.config.mode());
        m.put("avg_latency", stats.avgLatencyMs());
        m.put("max_latency", stats.maxLatencyMs());
        m.put("min_latency", stats.minLatencyMs());
        m.put("packets_received", stats.packetsReceived());
        m.put("packets_sent", stats.packetsSent());
        m.put("num_alive_connections", node.connections.size());
        m.put("outstanding_requests", outstanding());
        m.put("uptime", stats.uptimeMs());
        m.put("znode_count", nodeCount());
        m.put("watch_count", node.watches.count());
        m.put("ephemerals_count", replica.ephemeralCount());
        m.put("approximate_data_size", replica.approximateDataSize());
        m.put("global_sessions", replica.sessionCount());
        m.put("local_sessions", 0);
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("open_file_descriptor_count", unix.getOpenFileDescriptorCount());
            m.put("max_file_descriptor_count", unix.getMaxFileDescriptorCount());
        }
        m.put("connection_drop_probability", 0.0);
        m.put("outstanding_tls_handshake", 0);
        m.put("auth_failed_count", stats.authFailedCount());
        StringBuilder out = new StringBuilder();
        m.forEach((k, v) -> out.append("zk_").append(k).append('\t').append(v).append('\n'));
        return out.toString();
    }

    /**
     * {@code dump}: the sessions of this node's connections grouped by expiry deadline (ZooKeeper prints its
     * expiry queue the same way), their ephemerals, then the connections.
     */
    private String dump() {
        Replica replica = node.replica;
        Map<Long, List<Long>> byDeadline = new TreeMap<>();
        int sessions = 0;
        for (Connection c : node.connections) {
            long sid = c.sessionId();
            SessionInfo info = sid == 0 ? null : replica.session(sid);
            if (info != null) {
                byDeadline.computeIfAbsent(info.deadlineMs(), d -> new ArrayList<>()).add(sid);
                sessions++;
            }
        }
        StringBuilder out = new StringBuilder("SessionTracker dump:\n");
        out.append("Session Sets (").append(byDeadline.size()).append(")/(").append(sessions).append("):\n");
        Map<Long, List<String>> ephemerals = new TreeMap<>();
        byDeadline.forEach((deadline, ids) -> {
            out.append(ids.size()).append(" expire at ").append(new Date(deadline)).append(":\n");
            for (long sid : ids) {
                out.append("\t0x").append(Long.toHexString(sid)).append('\n');
                Result r = replica.getEphemerals(sid, "/");
                if (r instanceof Result.Paths paths && !paths.paths().isEmpty()) {
                    ephemerals.put(sid, new ArrayList<>(paths.paths()));
                }
            }
        });
        out.append("ephemeral nodes dump:\n");
        out.append("Sessions with Ephemerals (").append(ephemerals.size()).append("):\n");
        ephemerals.forEach((sid, paths) -> {
            out.append("0x").append(Long.toHexString(sid)).append(":\n");
            paths.forEach(p -> out.append('\t').append(p).append('\n'));
        });
        out.append("Connections dump:\n");
        out.append(connections());
        return out.toString();
    }

    private long dirSize() {
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
