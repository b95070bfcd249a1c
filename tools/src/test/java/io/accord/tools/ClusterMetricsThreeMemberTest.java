package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.accord.cluster.AeronReplicationPort;
import io.accord.cluster.Member;
import io.accord.cluster.StorageMode;
import io.accord.core.CoreConfig;
import io.accord.zk.server.ZkMetrics;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The leader-only and snapshot metrics of {@link ClusterMetrics} on three real Aeron members in this JVM. */
@Timeout(120)
class ClusterMetricsThreeMemberTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(50); // polling metrics that refresh in the background
        }
    }

    /** Five consecutive free UDP ports per member, below the ephemeral range. */
    private static int freeBase(int n) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 22_000 + 10 * ThreadLocalRandom.current().nextInt(900);
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                    s.getLocalPort();
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports");
    }

    @Test
    void theLeaderCountsItsSyncedFollowersSnapshotsAreTimedAndLeaderChangesCounted() throws Exception {
        int base = freeBase(30);
        List<Member> members = List.of(new Member(1, "127.0.0.1", base), new Member(2, "127.0.0.1", base + 10),
                new Member(3, "127.0.0.1", base + 20));
        List<AeronReplicationPort> ports = new ArrayList<>();
        List<MetricRegistry> registries = new ArrayList<>();
        List<ClusterMetrics> metrics = new ArrayList<>();
        try {
            for (Member m : members) {
                AeronReplicationPort port = AeronReplicationPort.create(new AeronReplicationPort.Context()
                        .nodeId(m.id())
                        .members(members)
                        .dataDir(dir.resolve("m" + m.id()))
                        .aeronDirectoryName(dir.getFileSystem().getPath("/dev/shm", "accord-metrics-test-"
                                + dir.getFileName() + "-" + m.id()).toString())
                        .storageMode(StorageMode.MEMORY)
                        .coreConfig(CoreConfig.defaults().withMaxDataBytes(16 * 1024))
                        .leaderHeartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                        .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
                        .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
                        .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(4))
                        .tickIntervalMs(250)
                        .snapshotIntervalMs(0));
                MetricRegistry registry = new MetricRegistry();
                ports.add(port);
                metrics.add(ClusterMetrics.register(port, registry));
                registries.add(registry);
                port.start();
            }
            for (AeronReplicationPort p : ports) {
                assertTrue(p.awaitServing(WAIT), "member " + p.nodeId() + " not serving: " + p.stats());
            }
            int leader = -1;
            for (int i = 0; i < 3; i++) {
                if (ports.get(i).isLeader()) {
                    leader = i;
                }
            }
            assertTrue(leader >= 0, "no leader");
            MetricRegistry lr = registries.get(leader);
            await(() -> ClusterMetricsTest.gauge(lr, ClusterMetrics.SYNCED_FOLLOWERS) == 2, "the leader reports 2 synced followers");
            for (int i = 0; i < 3; i++) {
                if (i != leader) {
                    assertEquals(0, ClusterMetricsTest.gauge(registries.get(i), ClusterMetrics.SYNCED_FOLLOWERS), "a follower reports 0");
                }
                assertEquals(0, registries.get(i).timer(ZkMetrics.Cluster.SNAPSHOT).getCount());
            }

            // A snapshot is written by every member: each one's timer counts it.
            assertTrue(ports.get(leader).takeSnapshot(), "the leader accepts a snapshot request");
            await(() -> registries.stream().allMatch(r -> r.timer(ZkMetrics.Cluster.SNAPSHOT).getCount() == 1),
                    "every member times its snapshot");
            for (MetricRegistry r : registries) {
                assertTrue(r.timer(ZkMetrics.Cluster.SNAPSHOT).getSnapshot().getMax() > 0);
                assertTrue(ClusterMetricsTest.gauge(r, ClusterMetrics.SNAPSHOT_TOTAL_MS) >= ClusterMetricsTest.gauge(r, ClusterMetrics.SNAPSHOT_LAST_MS));
            }

            // The leader goes: the survivors count a leader change, the new leader has one synced follower.
            long[] changesBefore = new long[3];
            for (int i = 0; i < 3; i++) {
                changesBefore[i] = registries.get(i).getCounters().get(ZkMetrics.Cluster.LEADER_CHANGES).getCount();
            }
            metrics.get(leader).close();
            ports.get(leader).close();
            List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
            survivors.remove(Integer.valueOf(leader));
            await(() -> survivors.stream().anyMatch(i -> ports.get(i).isLeader()), "a new leader");
            int newLeader = ports.get(survivors.get(0)).isLeader() ? survivors.get(0) : survivors.get(1);
            MetricRegistry nr = registries.get(newLeader);
            await(() -> ClusterMetricsTest.gauge(nr, ClusterMetrics.SYNCED_FOLLOWERS) == 1, "the new leader reports 1 synced follower");
            for (int i : survivors) {
                Counter c = registries.get(i).getCounters().get(ZkMetrics.Cluster.LEADER_CHANGES);
                long was = changesBefore[i];
                await(() -> c.getCount() > was, "member " + (i + 1) + " counts the leader change (was " + was + ")");
            }
        } finally {
            for (int i = 0; i < ports.size(); i++) {
                ports.get(i).close();
                metrics.get(i).close();
            }
            for (Member m : members) {
                Path shm = Path.of("/dev/shm", "accord-metrics-test-" + dir.getFileName() + "-" + m.id());
                if (java.nio.file.Files.exists(shm)) {
                    try (var s = java.nio.file.Files.walk(shm)) {
                        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            java.nio.file.Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }
}
