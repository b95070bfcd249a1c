package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 against persistent members in separate JVMs ({@link KillChild}), stopped by PID: no acknowledged write
 * is lost, the stale Aeron mark files do not block an immediate restart, and the failover time is logged.
 */
class KillRestartTest {
    private static final Logger LOG = LoggerFactory.getLogger(KillRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The idle measurement's window and settling time: {@code -Daccord.test.idleWindowS=30} for a longer one. */
    private static final long IDLE_WINDOW_S = Long.getLong("accord.test.idleWindowS", 10);
    private static final long IDLE_SETTLE_S = Long.getLong("accord.test.idleSettleS", 5);
    /** {@code idle}; {@code -Daccord.test.idle=idle-backoff} measures the settings before LowCpuIdleStrategy. */
    private static final String IDLE_SETTINGS = System.getProperty("accord.test.idle", "idle");

    /** One child JVM and what it printed. */
    private static final class Child {
        final Process process;
        final Map<Integer, Integer> lastAck = new ConcurrentHashMap<>();
        final Map<Integer, Long> lastAckNanos = new ConcurrentHashMap<>();
        final Map<Integer, String> roles = new ConcurrentHashMap<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final Thread reader;
        volatile boolean serving;

        Child(Path root, int base, String which) throws IOException {
            this(root, base, which, "k");
        }

        Child(Path root, int base, String which, String prefix) throws IOException {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(javaBin,
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m"));
            String extra = System.getProperty("accord.test.childArgs", "");
            if (!extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split(",")));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    KillChild.class.getName(), root.toString(), Integer.toString(base), which, prefix));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            reader = new Thread(this::read, "child-" + which + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (line.startsWith("ACK ")) {
                        lastAck.merge(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Math::max);
                        lastAckNanos.put(Integer.parseInt(f[1]), System.nanoTime());
                    } else if (line.equals("SERVING")) {
                        serving = true;
                    } else if (line.startsWith("ROLE ")) {
                        roles.put(Integer.parseInt(f[1]), f[2]);
                    } else {
                        if (line.startsWith("UNEXPECTED")) {
                            unexpected.add(line);
                        }
                        if (line.contains("ERROR") || line.contains("STOPS") || line.startsWith("SERVING")) {
                            LOG.info("[child {}] {}", process.pid(), line);
                        }
                    }
                }
            } catch (IOException e) {
                LOG.info("child output ended: {}", e.toString());
            }
        }

        int acks(int id) {
            return lastAck.getOrDefault(id, -1);
        }

        /** CPU time the process used so far (from /proc via ProcessHandle). */
        long cpuNanos() {
            return process.info().totalCpuDuration().orElseThrow().toNanos();
        }

        /** kill -9 by PID, then wait for it to be gone. */
        void kill() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child " + process.pid() + " did not die");
            reader.join(5_000);
        }
    }

    private static List<Path> markFiles(Path dataDir) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(dataDir.resolve("cluster"), dataDir.resolve("archive"))) {
            try (var s = Files.newDirectoryStream(dir, "*-mark*.dat")) {
                s.forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Restarts all three members in this JVM and checks every acknowledged write on every member.
     *
     * @param acked per path prefix, the last acknowledged index per member
     */
    private static void restartAndVerify(Path root, int base, Map<String, Map<Integer, Integer>> acked)
            throws IOException {
        try (TestCluster c = TestCluster.at(root, base, 3, StorageMode.PERSISTENT)) {
            for (int id = 1; id <= 3; id++) {
                assertFalse(markFiles(c.dataDir(id)).isEmpty(), "kill -9 leaves Aeron mark files in member " + id);
            }
            long t0 = System.nanoTime();
            c.startAll();
            c.awaitServing(WAIT);
            LOG.info("RESTART AFTER KILL -9: 3 members serving {} ms after launch (stale mark files removed)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            int checked = 0;
            List<String> missing = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                for (Map.Entry<String, Map<Integer, Integer>> e : acked.entrySet()) {
                    for (int w = 1; w <= 3; w++) {
                        for (int i = 0; i <= e.getValue().getOrDefault(w, -1); i++) {
                            String path = "/" + e.getKey() + "-" + w + "-" + i;
                            if (c.node(id).replica().statOf(path) == null) {
                                missing.add("member " + id + " lacks " + path);
                            }
                            checked++;
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                for (int id = 1; id <= 3; id++) {
                    LOG.error("member {}: position {} digest {} nodes {} stats {}", id,
                            c.node(id).replica().appliedPosition(), c.node(id).replica().digest(),
                            c.node(id).replica().nodeCount(), c.node(id).stats());
                }
                LOG.error("{} acknowledged writes missing (acked {}): first {}", missing.size(), acked,
                        missing.subList(0, Math.min(30, missing.size())));
            }
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged writes missing: "
                    + missing.subList(0, Math.min(10, missing.size())));
            LOG.info("all {} acknowledged writes present on every member", checked / 3);
            c.awaitConverged(WAIT);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killMinusNineOfAllMembersLosesNoAcknowledgedWriteAndRestartsAtOnce() throws Exception {
        Path root = Files.createTempDirectory("accord-kill-test");
        int base = TestCluster.freePorts(30);
        Child child = new Child(root, base, "all");
        try {
            TestCluster.await(() -> child.acks(1) >= 150 && child.acks(2) >= 150 && child.acks(3) >= 150, WAIT,
                    () -> "the child acknowledged too little: " + child.lastAck);
            child.kill();
            Map<Integer, Integer> acked = Map.copyOf(child.lastAck);
            LOG.info("killed the 3-member child (kill -9) after acknowledged writes {}", acked);
            assertTrue(child.unexpected.isEmpty(), child.unexpected.toString());
            restartAndVerify(root, base, Map.of("k", acked));
        } finally {
            ProcessHandle.of(child.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            TestCluster.deleteTree(root);
            TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-1"));
            TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-2"));
            TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-3"));
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killMinusNineOfTheLeaderProcessFailsOverAndTheVictimRejoinsAtOnce() throws Exception {
        Path root = Files.createTempDirectory("accord-kill-leader-test");
        int base = TestCluster.freePorts(30);
        Child[] children = new Child[4];
        try {
            for (int id = 1; id <= 3; id++) {
                children[id] = new Child(root, base, Integer.toString(id));
            }
            TestCluster.await(() -> children[1].acks(1) >= 50 && children[2].acks(2) >= 50
                    && children[3].acks(3) >= 50, WAIT, () -> "too few acks: " + children[1].lastAck + " "
                    + children[2].lastAck + " " + children[3].lastAck);
            int leader = 0;
            for (int id = 1; id <= 3; id++) {
                if ("LEADER".equals(children[id].roles.get(id))) {
                    leader = id;
                }
            }
            assertTrue(leader > 0, "no child reported LEADER");
            int l = leader;
            List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
            survivors.remove(Integer.valueOf(leader));
            int s0 = survivors.get(0);
            int s1 = survivors.get(1);
            Map<Integer, Integer> ackAtKill = Map.of(s0, children[s0].acks(s0), s1, children[s1].acks(s1));
            long killedAt = System.nanoTime();
            children[leader].kill();
            Map<Integer, Integer> victimAcked = Map.copyOf(children[leader].lastAck);
            for (int s : survivors) {
                TestCluster.await(() -> children[s].acks(s) > ackAtKill.get(s) + 20, WAIT,
                        () -> "survivor " + s + " does not write after the leader " + l + " was killed");
                long firstAfter = children[s].lastAckNanos.get(s);
                LOG.info("FAILOVER (kill -9 of leader process {}): survivor {} acknowledges again; 20 writes done "
                        + "{} ms after the kill", leader, s, TimeUnit.NANOSECONDS.toMillis(firstAfter - killedAt));
            }
            long restartAt = System.nanoTime();
            children[leader] = new Child(root, base, Integer.toString(leader), "r");
            TestCluster.await(() -> children[l].acks(l) > 10, WAIT,
                    () -> "the killed leader " + l + " does not write again after its restart");
            LOG.info("the killed leader {} restarted at once (stale mark files removed) and acknowledges writes again "
                    + "{} ms after its launch", leader, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt));
            Map<Integer, Integer> first = new ConcurrentHashMap<>(victimAcked);
            for (int id = 1; id <= 3; id++) {
                children[id].kill();
                if (id != leader) {
                    first.put(id, children[id].acks(id));
                }
                assertTrue(children[id].unexpected.isEmpty(), children[id].unexpected.toString());
            }
            restartAndVerify(root, base, Map.of("k", first, "r", Map.of(leader, children[leader].acks(leader))));
        } finally {
            for (int id = 1; id <= 3; id++) {
                if (children[id] != null) {
                    ProcessHandle.of(children[id].process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            TestCluster.deleteTree(root);
            for (int id = 1; id <= 3; id++) {
                TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-" + id));
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threeIdleMemberProcessesUseLittleCpu() throws Exception {
        Path root = Files.createTempDirectory("accord-idle-test");
        int base = TestCluster.freePorts(30);
        Child[] children = new Child[4];
        try {
            for (int id = 1; id <= 3; id++) {
                children[id] = new Child(root, base, Integer.toString(id), IDLE_SETTINGS);
            }
            // Every member prints SERVING once it applies live log entries (the replicated timer).
            TestCluster.await(() -> children[1].serving && children[2].serving && children[3].serving, WAIT,
                    () -> "the idle members did not all serve");
            long settle = System.nanoTime();
            // Let start-up work (JIT, class loading, the first checkpoint) finish before measuring.
            TestCluster.await(() -> System.nanoTime() - settle >= TimeUnit.SECONDS.toNanos(IDLE_SETTLE_S),
                    Duration.ofSeconds(IDLE_SETTLE_S + 5),
                    () -> "clock");
            long[] cpu0 = new long[4];
            List<Map<String, Long>> threads0 = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                cpu0[id] = children[id].cpuNanos();
                threads0.add(ThreadCpu.of(children[id].process.pid()));
            }
            long t0 = System.nanoTime();
            TestCluster.await(() -> System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(IDLE_WINDOW_S),
                    Duration.ofSeconds(IDLE_WINDOW_S + 5), () -> "clock");
            long window = System.nanoTime() - t0;
            double total = 0;
            StringBuilder per = new StringBuilder();
            Map<String, Long> threads = new java.util.TreeMap<>();
            for (int id = 1; id <= 3; id++) {
                ThreadCpu.addDelta(threads0.get(id - 1), ThreadCpu.of(children[id].process.pid()), threads);
                double cores = (double) (children[id].cpuNanos() - cpu0[id]) / window;
                total += cores;
                per.append(String.format(" member %d %.3f", id, cores));
                assertTrue(children[id].process.isAlive());
            }
            LOG.info("IDLE CPU ({}) of 3 member processes over {} ms:{} cores; total {} cores (box load average {}); "
                    + "by thread, summed over the 3 processes:{}", IDLE_SETTINGS, TimeUnit.NANOSECONDS.toMillis(window), per,
                    String.format("%.3f", total),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    ThreadCpu.format(threads, window));
            assertTrue(total < 1.0, "3 idle member processes used " + total + " cores: something spins");
        } finally {
            for (int id = 1; id <= 3; id++) {
                if (children[id] != null) {
                    children[id].kill();
                }
            }
            TestCluster.deleteTree(root);
            for (int id = 1; id <= 3; id++) {
                TestCluster.deleteTree(Path.of(TestCluster.shmPrefix(root) + "-" + id));
            }
        }
    }
}
