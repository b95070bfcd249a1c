package io.accord.zk.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The AdminServer's commands (PROTOCOL.md 9.3): each answers a JSON object with ZooKeeper 3.9's field names, then
 * {@code "command"} (the primary name) and {@code "error"} (null on success). Names and aliases follow ZooKeeper's
 * {@code Commands} registry; AdminServerTest compares the fields with a real ZooKeeper's AdminServer.
 *
 * <p>Thread-safe (reads the node's concurrent state).
 */
final class AdminCommands {
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

    /** One command: its primary name, aliases, whether it needs a serving node, and what it adds to the answer. */
    private record Command(String name, Set<String> aliases, boolean serverRequired, Fill fill) {
    }

    /** Adds a command's fields to the answer; returns an error message, or null on success. */
    @FunctionalInterface
    private interface Fill {
        String apply(ServerNode node, Map<String, String> params, Map<String, Object> out);
    }

    private static Fill simple(BiConsumer<ServerNode, Map<String, Object>> fill) {
        return (node, params, out) -> {
            fill.accept(node, out);
            return null;
        };
    }

    /** A command's answer: HTTP status and the JSON object. */
    record Answer(int status, Map<String, Object> body) {
    }

    private final Map<String, Command> byName = new TreeMap<>();
    private final List<String> primaryNames = new ArrayList<>();
    private final ServerNode node;

    AdminCommands(ServerNode node) {
        this.node = node;
        add("configuration", Set.of("conf", "config"), true, simple(AdminCommands::configuration));
        add("connection_stat_reset", Set.of("crst"), true,
                simple((n, m) -> n.connections.forEach(c -> c.stats.reset())));
        add("connections", Set.of("cons"), true, simple(AdminCommands::connections));
        add("dirs", Set.of(), true, simple((n, m) -> {
            long size = n.fourLetterWords().dirSize();
            m.put("datadir_size", size);
            m.put("logdir_size", size);
        }));
        add("dump", Set.of(), true, simple(AdminCommands::dump));
        add("environment", Set.of("env", "envi"), false,
                simple((n, m) -> m.putAll(FourLetterWords.environmentValues())));
        add("get_trace_mask", Set.of("gtmk"), false,
                simple((n, m) -> m.put("tracemask", n.fourLetterWords().traceMask())));
        // the digest history of ZooKeeper's digest checker; Accord compares replicas by other means
        add("hash", Set.of(), true, simple((n, m) -> m.put("digests", List.of())));
        add("is_read_only", Set.of("isro"), true, simple((n, m) -> m.put("read_only", false)));
        add("monitor", Set.of("mntr"), false, simple((n, m) -> m.putAll(n.fourLetterWords().monitorValues())));
        // Accord has no observers (yet): nothing to reset, nobody to list
        add("observer_connection_stat_reset", Set.of("orst"), true, simple((n, m) -> {
        }));
        add("observers", Set.of("obsr"), true, simple((n, m) -> {
            m.put("synced_observers", 0);
            m.put("observers", List.of());
        }));
        add("ruok", Set.of(), true, simple((n, m) -> {
        }));
        add("server_stats", Set.of("srvr"), true, simple((n, m) -> serverStats(n, m, false)));
        add("set_trace_mask", Set.of("stmk"), false, AdminCommands::setTraceMask);
        add("stat_reset", Set.of("srst"), true, simple((n, m) -> n.stats.reset()));
        add("stats", Set.of("stat"), true, simple((n, m) -> serverStats(n, m, true)));
        add("system_properties", Set.of("sysp"), false, simple((n, m) -> m.putAll(systemProperties())));
        add("watch_summary", Set.of("wchs"), true, simple((n, m) -> {
            WatchManager.Summary sum = n.watches.summaryCounts();
            m.put("num_connections", sum.connections());
            m.put("num_paths", sum.paths());
            m.put("num_total_watches", sum.total());
        }));
        add("watches", Set.of("wchc"), true, simple((n, m) -> {
            Map<String, Object> bySession = new LinkedHashMap<>();
            n.watches.pathsBySession().forEach((sid, paths) -> bySession.put(Long.toString(sid), paths));
            m.put("session_id_to_watched_paths", bySession);
        }));
        add("watches_by_path", Set.of("wchp"), true,
                simple((n, m) -> m.put("path_to_session_ids", n.watches.sessionsByPath())));
    }

    private void add(String name, Set<String> aliases, boolean serverRequired, Fill fill) {
        add(new Command(name, aliases, serverRequired, fill));
    }

    private void add(Command command) {
        primaryNames.add(command.name());
        byName.put(command.name(), command);
        command.aliases().forEach(alias -> byName.put(alias, command));
    }

    /** Primary names, sorted (the index page lists these). */
    List<String> primaryNames() {
        return primaryNames.stream().sorted().toList();
    }

    /**
     * Runs a command by primary name or alias. As ZooKeeper 3.9.5 does (observed), the status is always 200: an
     * unknown name gets {@code "error": "Unknown command: <name>"}, and while the node is not serving, every
     * command but monitor, environment, system_properties and the trace mask gets {@link #NOT_SERVING}.
     */
    Answer run(String name, Map<String, String> params) {
        Command command = byName.get(name);
        Map<String, Object> body = new LinkedHashMap<>();
        if (command == null) {
            body.put("command", name);
            body.put("error", "Unknown command: " + name);
            return new Answer(200, body);
        }
        if (command.serverRequired() && !node.port.serving()) {
            body.put("command", command.name());
            body.put("error", NOT_SERVING);
            return new Answer(200, body);
        }
        String error = command.fill().apply(node, params, body);
        body.put("command", command.name());
        body.put("error", error);
        return new Answer(200, body);
    }

    /** {@code set_trace_mask?traceMask=<long>}; a missing or bad value gets ZooKeeper's error, status 200. */
    private static String setTraceMask(ServerNode node, Map<String, String> params, Map<String, Object> out) {
        String value = params.get("traceMask");
        long mask;
        try {
            mask = Long.parseLong(value);
        } catch (NumberFormatException e) {
            String error = "setTraceMask requires long traceMask argument" + (value == null ? "" : ", got " + value);
            out.put("error", error);
            return error;
        }
        node.fourLetterWords().setTraceMask(mask);
        out.put("tracemask", mask);
        return null;
    }

    /**
     * The JVM's system properties, sorted by name as ZooKeeper lists them; values of properties that look like
     * secrets (passwords, secrets, the super digest) are masked, since the admin port has no authentication.
     */
    static Map<String, String> systemProperties() {
        Map<String, String> sorted = new TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = String.valueOf(k);
            String lower = key.toLowerCase(Locale.ROOT);
            boolean secret = lower.contains("password") || lower.contains("secret") || lower.contains("superdigest");
            sorted.put(key, secret ? "******" : String.valueOf(v));
        });
        return sorted;
    }

    private static void configuration(ServerNode node, Map<String, Object> m) {
        Map<String, Object> conf = node.fourLetterWords().confValues();
        m.put("client_port", conf.get("clientPort"));
        m.put("data_dir", conf.get("dataDir"));
        m.put("data_log_dir", conf.get("dataLogDir"));
        m.put("tick_time", conf.get("tickTime"));
        m.put("max_client_cnxns", conf.get("maxClientCnxns"));
        m.put("min_session_timeout", conf.get("minSessionTimeout"));
        m.put("max_session_timeout", conf.get("maxSessionTimeout"));
        m.put("server_id", conf.get("serverId"));
        m.put("client_port_listen_backlog", conf.get("clientPortListenBacklog"));
    }

    private static List<Map<String, Object>> connectionInfos(ServerNode node, boolean full) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Connection c : node.connections) {
            if (c.remote() == null) {
                continue;
            }
            String address = c.remoteIp() + ":" + c.remote().getPort();
            list.add(c.stats.info(address, c.reading(), c.queued(), full));
        }
        return list;
    }

    private static void connections(ServerNode node, Map<String, Object> m) {
        m.put("connections", connectionInfos(node, true));
        m.put("secure_connections", List.of());
    }

    private static void serverStats(ServerNode node, Map<String, Object> m, boolean withConnections) {
        ServerStats stats = node.stats;
        long dirSize = node.fourLetterWords().dirSize();
        Map<String, Object> responseSizes = new LinkedHashMap<>();
        responseSizes.put("last_buffer_size", stats.lastResponseSize());
        responseSizes.put("min_buffer_size", stats.minResponseSize());
        responseSizes.put("max_buffer_size", stats.maxResponseSize());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("packets_sent", stats.packetsSent());
        s.put("packets_received", stats.packetsReceived());
        s.put("fsync_threshold_exceed_count", 0L);
        s.put("client_response_stats", responseSizes);
        s.put("data_dir_size", dirSize);
        s.put("log_dir_size", dirSize);
        s.put("last_processed_zxid", node.replica.lastZxid());
        s.put("outstanding_requests", (long) node.outstanding());
        s.put("server_state", node.config.role().state());
        s.put("avg_latency", stats.avgLatencyMs());
        s.put("max_latency", stats.maxLatencyMs());
        s.put("min_latency", stats.minLatencyMs());
        s.put("num_alive_client_connections", node.connections.size());
        s.put("auth_failed_count", stats.authFailedCount());
        s.put("non_mtlsremote_conn_count", 0L);
        s.put("non_mtlslocal_conn_count", 0L);
        s.put("provider_null", false);
        s.put("uptime", stats.uptimeMs());
        m.put("version", FourLetterWords.VERSION);
        m.put("read_only", false);
        m.put("server_stats", s);
        m.put("client_response", responseSizes);
        m.put("node_count", node.fourLetterWords().nodeCount());
        if (withConnections) {
            m.put("connections", connectionInfos(node, false));
            m.put("secure_connections", List.of());
        }
    }

    private static void dump(ServerNode node, Map<String, Object> m) {
        FourLetterWords.SessionDump dump = node.fourLetterWords().sessionDump();
        Map<String, Object> byDeadline = new LinkedHashMap<>();
        dump.byDeadline().forEach((deadline, ids) -> byDeadline.put(Long.toString(deadline), ids));
        Map<String, Object> ephemerals = new LinkedHashMap<>();
        dump.ephemerals().forEach((sid, paths) -> ephemerals.put(Long.toString(sid), paths));
        m.put("expiry_time_to_session_ids", byDeadline);
        m.put("session_id_to_ephemeral_paths", ephemerals);
    }
}
