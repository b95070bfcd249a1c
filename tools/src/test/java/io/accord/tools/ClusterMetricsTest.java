package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.accord.tools.config.ZooCfg;
import io.accord.zk.server.ZkMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ClusterMetricsTest {
    @TempDir
    Path dir;

    static long gauge(MetricRegistry r, String name) {
        Gauge<?> g = r.getGauges().get(name);
        if (g == null) {
            throw new AssertionError("no gauge " + name + " in " + r.getNames());
        }
        return ((Number) g.getValue()).longValue();
    }

    @Test
    void aNodeRegistersTheClusterGaugesAndTheyFollowItsLog() throws Exception {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", "0");
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("accord.mode", "memory");
        p.setProperty("accord.snapshotIntervalMs", "1000");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { }))) {
            assertTrue(server.awaitServing(Duration.ofSeconds(60)), "not serving within 60 s");
            MetricRegistry r = server.metrics();
            // A one-member cluster leads; memory mode has no Xodus checkpoint.
            assertEquals(2, gauge(r, ClusterMetrics.ROLE));
            // one member: no leader change; a counter, so exporters type it as one
            assertEquals(0, r.getCounters().get(ZkMetrics.Cluster.LEADER_CHANGES).getCount());
            assertEquals(0, gauge(r, ClusterMetrics.SYNCED_FOLLOWERS)); // standalone: no followers
            assertEquals(-1, gauge(r, ClusterMetrics.CHECKPOINT_POSITION));
            assertEquals(-1, gauge(r, ClusterMetrics.DURABLE_POSITION));
            assertEquals(0, gauge(r, ClusterMetrics.SNAPSHOTS_LOADED));
            assertTrue(gauge(r, ClusterMetrics.UNAPPLIED) >= 0);
            assertTrue(gauge(r, ZkMetrics.Cluster.AERON_ERRORS) >= 0);

            // The replicated timer ticks through the log, so applied and committed positions move on.
            long applied = gauge(r, ClusterMetrics.APPLIED_POSITION);
            assertTrue(applied > 0, "applied position " + applied);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (gauge(r, ClusterMetrics.APPLIED_POSITION) <= applied) {
                assertTrue(System.nanoTime() < deadline, "applied position stayed at " + applied);
                Thread.sleep(50); // polling for the next tick
            }
            long commit = gauge(r, ZkMetrics.Cluster.COMMIT_POSITION);
            assertTrue(commit > applied, "commit position " + commit + ", applied before " + applied);
            long lag = gauge(r, ZkMetrics.Cluster.APPLY_LAG);
            assertTrue(lag >= 0 && lag <= commit, "apply lag " + lag);

            // accord.snapshotIntervalMs=1000 has the leader (this node) snapshot every second.
            while (gauge(r, ClusterMetrics.SNAPSHOTS_TAKEN) < 1) {
                assertTrue(System.nanoTime() < deadline, "no snapshot counted within 30 s");
                Thread.sleep(50); // polling for the first snapshot
            }
            assertTrue(r.timer(ZkMetrics.Cluster.SNAPSHOT).getCount() >= 1, "the snapshot timer counts it");

            // Client requests go into the log in entries: both are counted, so their ratio is the batch size.
            long entries = r.getCounters().get(ClusterMetrics.ENTRIES_SENT).getCount();
            long requests = r.getCounters().get(ClusterMetrics.REQUESTS_SENT).getCount();
            SingleNode.assertServesWrites(server, "/counted", (byte) 1); // session, create, close: 3 requests
            long entriesAfter = r.getCounters().get(ClusterMetrics.ENTRIES_SENT).getCount();
            long requestsAfter = r.getCounters().get(ClusterMetrics.REQUESTS_SENT).getCount();
            assertTrue(requestsAfter - requests >= 3, "requests sent " + requests + " -> " + requestsAfter);
            assertTrue(entriesAfter > entries && entriesAfter - entries <= requestsAfter - requests,
                    "entries sent " + entries + " -> " + entriesAfter + " for " + (requestsAfter - requests)
                            + " requests");
        }
    }
}
