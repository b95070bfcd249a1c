package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.accord.zk.proto.OpCode;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The node's metric registry under load from the real client, and the ways it is reported: {@code mntr} over a raw
 * socket, JMX, and the Prometheus scrape on the admin port; plus the role hook and the admin server's options.
 */
class MetricsTest {
    private static final int CREATES = 25;

    private static Map<String, String> mntr(TestServer server) throws Exception {
        return FourLetterWordFormatTest.keyValues(FourLetterWordTest.send(server.port(), "mntr"), "\t");
    }

    private static long gauge(MetricRegistry registry, String name) {
        Gauge<?> gauge = registry.getGauges().get(name);
        assertNotNull(gauge, name);
        return ((Number) gauge.getValue()).longValue();
    }

    private static void createMany(ZooKeeper zk, String parent) throws Exception {
        zk.create(parent, new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < CREATES; i++) {
            zk.create(parent + "/n" + i, new byte[i], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    @Test
    void znodeCountPacketsAndLatencyFollowTheLoad() throws Exception {
        try (TestServer server = TestServer.start(c -> c.fourLetterWordWhitelist("*"))) {
            Map<String, String> before = mntr(server);
            assertEquals("5", before.get("zk_znode_count"), "a fresh tree: '', /, /zookeeper, quota, config");
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                createMany(zk, "/load");
                zk.create("/load/eph", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                for (int i = 0; i < CREATES; i++) {
                    zk.getData("/load/n" + i, i == 0, null);
                }
                Map<String, String> after = mntr(server);
                assertEquals(Integer.toString(5 + 1 + CREATES + 1), after.get("zk_znode_count"));
                assertEquals("1", after.get("zk_ephemerals_count"));
                assertEquals("1", after.get("zk_watch_count"));
                assertEquals("1", after.get("zk_global_sessions"));
                long received = Long.parseLong(after.get("zk_packets_received"));
                assertTrue(received >= Long.parseLong(before.get("zk_packets_received")) + 2 * CREATES + 3, after
                        .toString());
                assertTrue(Long.parseLong(after.get("zk_packets_sent")) >= 2 * CREATES + 3);
                long min = Long.parseLong(after.get("zk_min_latency"));
                double avg = Double.parseDouble(after.get("zk_avg_latency"));
                long max = Long.parseLong(after.get("zk_max_latency"));
                assertTrue(min <= avg && avg <= max, min + " / " + avg + " / " + max);
                assertEquals(Integer.toString(CREATES + 2), after.get("zk_cnt_updatelatency"));
                assertEquals(Integer.toString(CREATES), after.get("zk_cnt_readlatency"));
                assertTrue(Long.parseLong(after.get("zk_bytes_received_count")) > 0);
                assertTrue(Integer.parseInt(after.get("zk_max_client_response_size"))
                        >= Integer.parseInt(after.get("zk_min_client_response_size")));

                MetricRegistry registry = server.server.metrics();
                assertEquals(5 + 1 + CREATES + 1, gauge(registry, ZkMetrics.ZNODE_COUNT));
                assertEquals(1, gauge(registry, ZkMetrics.EPHEMERALS_COUNT));
                assertEquals(1, gauge(registry, ZkMetrics.GLOBAL_SESSIONS));
                assertEquals(1, gauge(registry, ZkMetrics.WATCH_COUNT));
                assertEquals(server.replica.lastZxid(), gauge(registry, ZkMetrics.LAST_ZXID));
                assertEquals(server.replica.appliedPosition(), gauge(registry, ZkMetrics.APPLIED_POSITION));
                assertEquals(server.replica.approximateDataSize(), gauge(registry, ZkMetrics.APPROXIMATE_DATA_SIZE));
                assertEquals(Long.parseLong(after.get("zk_approximate_data_size")),
                        gauge(registry, ZkMetrics.APPROXIMATE_DATA_SIZE));
                assertTrue(gauge(registry, ZkMetrics.NUM_ALIVE_CONNECTIONS) >= 1);
                assertTrue(gauge(registry, ZkMetrics.OPEN_FILE_DESCRIPTOR_COUNT) > 0);
                // the Java client sends create (1) for a plain create and getData (4)
                assertEquals(CREATES + 2, registry.timer(ZkMetrics.requestTimer(OpCode.CREATE)).getCount());
                assertEquals(CREATES, registry.timer(ZkMetrics.requestTimer(OpCode.GET_DATA)).getCount());
                assertTrue(registry.counter(ZkMetrics.PACKETS_RECEIVED).getCount() >= received);
                assertTrue(registry.counter(ZkMetrics.BYTES_SENT).getCount() > 0);
            } finally {
                zk.close();
            }
        }
    }

    @Test
    void statResetRestartsMntrButNeverTheRegistryCounters() throws Exception {
        try (TestServer server = TestServer.start(c -> c.fourLetterWordWhitelist("*"))) {
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                createMany(zk, "/reset");
            } finally {
                zk.close();
            }
            long counted = server.server.metrics().counter(ZkMetrics.PACKETS_RECEIVED).getCount();
            assertTrue(counted > CREATES);
            assertEquals("Server stats reset.\n", FourLetterWordTest.send(server.port(), "srst"));
            Map<String, String> after = mntr(server);
            assertEquals("0", after.get("zk_packets_received"));
            assertEquals("0", after.get("zk_max_latency"));
            assertEquals("-1", after.get("zk_last_client_response_size"));
            assertTrue(server.server.metrics().counter(ZkMetrics.PACKETS_RECEIVED).getCount() >= counted);
        }
    }

    @Test
    void jmxReportsTheRegistryWhileTheServerRunsAndNotAfter() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName znodes = new ObjectName("accord.test.jmx:node=1,name=" + ZkMetrics.ZNODE_COUNT);
        try (TestServer server = TestServer.start(c -> c.jmxDomain("accord.test.jmx"))) {
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                createMany(zk, "/jmx");
            } finally {
                zk.close();
            }
            assertEquals(5 + 1 + CREATES, ((Number) mbeans.getAttribute(znodes, "Value")).longValue());
            ObjectName creates = new ObjectName("accord.test.jmx:node=1,name=" + ZkMetrics.requestTimer(OpCode.CREATE));
            assertEquals(CREATES + 1L, ((Number) mbeans.getAttribute(creates, "Count")).longValue());
        }
        assertFalse(mbeans.isRegistered(znodes));
    }

    @Test
    void jmxCanBeTurnedOff() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try (TestServer server = TestServer.start(c -> c.jmxDomain("accord.test.nojmx").jmxEnabled(false))) {
            assertEquals(5, gauge(server.server.metrics(), ZkMetrics.ZNODE_COUNT));
            assertTrue(mbeans.queryNames(new ObjectName("accord.test.nojmx:*"), null).isEmpty());
        }
    }

    @Test
    void prometheusScrapeParsesAndCarriesTheZooKeeperNames() throws Exception {
        try (TestServer server = TestServer.start()) {
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                createMany(zk, "/prom");
            } finally {
                zk.close();
            }
            HttpResponse<String> scrape = AdminServerTest.get(server.server.adminAddress().getPort(), "/metrics");
            assertEquals(200, scrape.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    scrape.headers().firstValue("content-type").orElse(""));
            Map<String, String> types = new HashMap<>();
            Map<String, Double> samples = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (String line : scrape.body().split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    assertEquals(4, parts.length, line);
                    assertTrue(seen.add(parts[2]), "one TYPE line per family: " + line);
                    types.put(parts[2], parts[3]);
                } else if (line.startsWith("# HELP ")) {
                    assertTrue(line.matches("# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*"), line);
                } else {
                    String label = "[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"";
                    assertTrue(line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{" + label + "(," + label + ")*\\})?"
                            + " (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)"), line);
                    String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
                    String family = name.replaceAll("_(total|count|sum)$", "");
                    assertTrue(types.containsKey(name) || types.containsKey(family),
                            "sample before or without its TYPE: " + line);
                    if (!line.contains("{")) {
                        samples.put(name, Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
                    }
                }
            }
            assertEquals("gauge", types.get("zk_znode_count"));
            assertEquals(5 + 1 + CREATES, samples.get("zk_znode_count").longValue());
            for (String gauge : List.of("zk_num_alive_connections", "zk_outstanding_requests", "zk_watch_count",
                    "zk_ephemerals_count", "zk_approximate_data_size", "zk_global_sessions", "zk_last_zxid",
                    "accord_replica_applied_position", "zk_open_file_descriptor_count")) {
                assertEquals("gauge", types.get(gauge), gauge);
            }
            // client_java 1.x names a Dropwizard counter's family with the _total suffix in format 0.0.4
            assertEquals("counter", types.get("zk_packets_received_total"));
            assertTrue(samples.get("zk_packets_received_total") > CREATES);
            assertEquals("summary", types.get("zk_requests_create"));
            assertEquals(CREATES + 1, samples.get("zk_requests_create_count").longValue());
        }
    }

    @Test
    void metricsTheClusterLayerAddsShowInJmxAndPrometheus() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (TestServer server = TestServer.start(c -> c.metricRegistry(registry).jmxDomain("accord.test.cluster"))) {
            assertTrue(server.server.metrics() == registry);
            registry.register(ZkMetrics.Cluster.COMMIT_POSITION, (Gauge<Long>) () -> 4242L);
            registry.counter(ZkMetrics.Cluster.LEADER_CHANGES).inc(3);
            String scrape = AdminServerTest.get(server.server.adminAddress().getPort(), "/metrics").body();
            assertTrue(scrape.contains(
                    "\n# TYPE accord_cluster_commit_position gauge\naccord_cluster_commit_position 4242"), scrape);
            assertTrue(scrape.contains("\naccord_cluster_leader_changes_total 3.0\n"), scrape);
            ObjectName commit = new ObjectName("accord.test.cluster:node=1,name=" + ZkMetrics.Cluster.COMMIT_POSITION);
            assertEquals(4242L, ManagementFactory.getPlatformMBeanServer().getAttribute(commit, "Value"));
        }
    }

    @Test
    void theRoleHookReportsLeaderAndFollowers() throws Exception {
        AtomicReference<String> state = new AtomicReference<>("follower");
        ServerRole role = new ServerRole() {
            @Override
            public String state() {
                return state.get();
            }

            @Override
            public int followers() {
                return 2;
            }

            @Override
            public int syncedFollowers() {
                return 1;
            }

            @Override
            public int quorumSize() {
                return 3;
            }

            @Override
            public long leaderUptimeMs() {
                return 1234;
            }
        };
        try (TestServer server = TestServer.start(c -> c.role(role).fourLetterWordWhitelist("*"))) {
            Map<String, String> follower = mntr(server);
            assertEquals("follower", follower.get("zk_server_state"));
            assertEquals("3", follower.get("zk_quorum_size"));
            assertFalse(follower.containsKey("zk_followers"));
            assertFalse(follower.containsKey("zk_learners"));
            assertTrue(FourLetterWordTest.send(server.port(), "srvr").contains("\nMode: follower\n"));
            state.set("leader");
            Map<String, String> leader = mntr(server);
            assertEquals("leader", leader.get("zk_server_state"));
            assertEquals("2", leader.get("zk_followers"));
            assertEquals("2", leader.get("zk_learners"));
            assertEquals("1", leader.get("zk_synced_followers"));
            assertEquals("0", leader.get("zk_synced_observers"));
            assertEquals("1234", leader.get("zk_leader_uptime"));
            String stats = AdminServerTest.get(server.server.adminAddress().getPort(), "/commands/srvr").body();
            assertTrue(stats.contains("\"server_state\" : \"leader\""), stats);
        }
    }

    @Test
    void aTakenAdminPortLeavesTheClientPortServing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            try (TestServer server = TestServer.start(c -> c.adminServerPort(taken.getLocalPort()))) {
                assertNull(server.server.adminAddress());
                assertTrue(FourLetterWordTest.send(server.port(), "srvr").startsWith("Zookeeper version: "));
            }
        }
    }

    @Test
    void theAdminServerCanBeTurnedOffAndServesUnderAnotherCommandUrl() throws Exception {
        try (TestServer off = TestServer.start(c -> c.adminEnableServer(false))) {
            assertNull(off.server.adminAddress());
        }
        try (TestServer server = TestServer.start(c -> c.adminCommandUrl("/zk"))) {
            int port = server.server.adminAddress().getPort();
            assertEquals(200, AdminServerTest.get(port, "/zk/ruok").statusCode());
            assertTrue(AdminServerTest.get(port, "/zk").body().contains("<a href=\"/zk/ruok\">ruok</a>"));
            assertEquals(404, AdminServerTest.get(port, "/commands/ruok").statusCode());
        }
    }

    @Test
    void aClosedServerLeavesNoGaugesBehind() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        try (TestServer server = TestServer.start(c -> c.metricRegistry(registry))) {
            assertEquals(5, gauge(registry, ZkMetrics.ZNODE_COUNT));
        }
        assertFalse(registry.getGauges().containsKey(ZkMetrics.ZNODE_COUNT));
        assertTrue(registry.getCounters().containsKey(ZkMetrics.PACKETS_RECEIVED));
    }
}
