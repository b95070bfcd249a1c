package io.accord.zk.server;

import io.accord.zk.proto.OpCode;
import java.util.Locale;

/**
 * Names of the metrics a {@link ZkServer} registers in its Dropwizard registry ({@link ZkServer#metrics()}).
 *
 * <p>Naming: {@code zk.<mntr key>} for everything {@code mntr} also prints, so the JMX name, the Prometheus name
 * and the {@code mntr} key line up: the gauge {@code zk.znode_count} is {@code zk_znode_count} in {@code mntr}
 * and in the Prometheus scrape ({@code GET /metrics} replaces dots with underscores). Counters get Prometheus'
 * {@code _total} suffix ({@code zk.packets_received} → {@code zk_packets_received_total}); timers become
 * summaries in seconds ({@code zk.requests.create} → {@code zk_requests_create} with quantiles, {@code _count},
 * {@code _sum}). The counters never go down: {@code srst} resets what {@code mntr}/{@code srvr} print, not them.
 *
 * <p>Other layers register under their own prefix in the same registry: the cluster layer uses
 * {@code accord.cluster.*} (log commit position, apply lag, snapshot timings, leader changes, Aeron errors).
 */
public final class ZkMetrics {
    /** Counter: client frames read (mntr {@code zk_packets_received} counts since the last {@code srst}). */
    public static final String PACKETS_RECEIVED = "zk.packets_received";
    /** Counter: replies and watch events written. */
    public static final String PACKETS_SENT = "zk.packets_sent";
    /** Counter: bytes read from client connections (mntr {@code zk_bytes_received_count}). */
    public static final String BYTES_RECEIVED = "zk.bytes_received_count";
    /** Counter: bytes written to client connections. */
    public static final String BYTES_SENT = "zk.bytes_sent_count";
    /** Counter: failed addAuth requests. */
    public static final String AUTH_FAILED = "zk.auth_failed_count";
    /** Timer: every answered request, whatever its opcode. */
    public static final String REQUEST_LATENCY = "zk.request_latency";
    /** Timer: requests that read the tree (mntr {@code zk_*_readlatency}). */
    public static final String READ_LATENCY = "zk.readlatency";
    /** Timer: writes, answered once the local replica applied them (mntr {@code zk_*_updatelatency}). */
    public static final String UPDATE_LATENCY = "zk.updatelatency";
    /** Prefix of the per-opcode timers ({@link #requestTimer}). */
    public static final String REQUESTS_PREFIX = "zk.requests.";

    public static final String NUM_ALIVE_CONNECTIONS = "zk.num_alive_connections";
    public static final String OUTSTANDING_REQUESTS = "zk.outstanding_requests";
    /** ZooKeeper's count: the tree's nodes plus its internal {@code ""} entry (PROTOCOL.md 8.1). */
    public static final String ZNODE_COUNT = "zk.znode_count";
    public static final String WATCH_COUNT = "zk.watch_count";
    public static final String EPHEMERALS_COUNT = "zk.ephemerals_count";
    public static final String APPROXIMATE_DATA_SIZE = "zk.approximate_data_size";
    public static final String GLOBAL_SESSIONS = "zk.global_sessions";
    public static final String OPEN_FILE_DESCRIPTOR_COUNT = "zk.open_file_descriptor_count";
    public static final String MAX_FILE_DESCRIPTOR_COUNT = "zk.max_file_descriptor_count";
    public static final String UPTIME = "zk.uptime";
    /** Gauge: the zxid of the last applied change (Accord's name; ZooKeeper prints it only in srvr). */
    public static final String LAST_ZXID = "zk.last_zxid";
    /** Gauge: the replicated-log position the local replica has applied. */
    public static final String APPLIED_POSITION = "accord.replica.applied_position";

    private ZkMetrics() {
    }

    /**
     * Names reserved for the cluster layer, which registers these in the same registry ({@link
     * ZkServer#metrics()}) so that JMX and {@code GET /metrics} show them beside the client-port metrics.
     */
    public static final class Cluster {
        /** Gauge: the log position the cluster has committed. */
        public static final String COMMIT_POSITION = "accord.cluster.commit_position";
        /** Gauge: committed minus applied log position on this node (bytes of log not yet applied). */
        public static final String APPLY_LAG = "accord.cluster.apply_lag";
        /** Timer: how long taking a snapshot took. */
        public static final String SNAPSHOT = "accord.cluster.snapshot";
        /** Counter: leader changes seen by this node. */
        public static final String LEADER_CHANGES = "accord.cluster.leader_changes";
        /** Counter: errors reported by Aeron (media driver, archive, consensus module). */
        public static final String AERON_ERRORS = "accord.cluster.aeron_errors";

        private Cluster() {
        }
    }

    /** The timer of one opcode: {@code zk.requests.} + its name in lower camel case, e.g. {@code getData}. */
    public static String requestTimer(OpCode op) {
        String[] words = op.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(REQUESTS_PREFIX).append(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
        }
        return name.toString();
    }
}
