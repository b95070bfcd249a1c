package io.accord.compat.faults;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults checked by a model: a three-member cluster in separate JVMs, in persistent and in memory mode, real
 * ZooKeeper and Curator clients spread over all members running register, queue, mutex-counter, election, FIFO and
 * watch workloads while members are killed (-9), paused (SIGSTOP longer than the session and election timeouts), all
 * killed (persistent mode only: memory mode keeps nothing on purpose), or wiped; then every history is checked and
 * the members' states compared.
 *
 * <p>CI runs one short seeded round per mode (a leader kill -9 + restart and a pause). {@code -Dsoak.minutes=N}
 * loops rounds of random faults for N minutes per mode instead ({@code -Dfaults.modes=memory} for one mode).
 * {@code -Dfaults.seed=S} replays a seed (fault choices and the clients' random choices; thread timing is not
 * replayable).
 */
class FaultInjectionTest {
    /** The faults; PAUSE_TWO leaves one member alone (no quorum) for the pause. */
    enum Fault { KILL_LEADER, KILL_RANDOM, PAUSE_LEADER, PAUSE_RANDOM, PAUSE_TWO, KILL_ALL, WIPE_RANDOM }

    /** SIGSTOP pauses: longer than the client session timeout and the election timeout. */
    private static final int PAUSE_MS = FaultClients.SESSION_TIMEOUT_MS + 2000;

    @TempDir
    Path dir;

    private FaultCluster cluster;
    private final List<String> faults = new ArrayList<>();
    private long operations;
    private int rounds;
    private long started;
    private PrintWriter logFile;
    private boolean memory;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (logFile != null) {
            logFile.close();
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"persistent", "memory"})
    void historiesStayConsistentUnderKillsAndPauses(String mode) {
        Assumptions.assumeTrue(List.of(System.getProperty("faults.modes", "persistent,memory").split(","))
                .contains(mode), "-Dfaults.modes leaves out " + mode);
        memory = mode.equals("memory");
        long seed = Long.getLong("faults.seed", System.currentTimeMillis() % 1_000_000);
        int soakMinutes = Integer.getInteger("soak.minutes", 0);
        try {
            // Surefire shows a test's output when it ends; a soak is followed live in this file.
            logFile = new PrintWriter(Files.newBufferedWriter(
                    Path.of("target", "faults-" + mode + "-" + seed + ".log")), true);
        } catch (IOException e) {
            logFile = null;
        }
        Duration limit = Duration.ofMinutes(soakMinutes == 0 ? 6 : soakMinutes + 10);
        log(mode + " mode, seed " + seed + (soakMinutes > 0 ? ", soak " + soakMinutes + " min" : ", CI round")
                + " (replay with -Dfaults.seed=" + seed + ")");
        try {
            assertTimeoutPreemptively(limit, () -> run(seed, soakMinutes), "seed " + seed);
        } finally {
            log("seed " + seed + ": " + rounds + " rounds checked, " + operations + " operations, faults " + faults);
        }
    }

    private void run(long seed, int soakMinutes) throws Exception {
        Random random = new Random(seed);
        started = System.nanoTime();
        cluster = new FaultCluster(dir, memory);
        cluster.startAll();
        log("cluster of " + FaultCluster.MEMBERS + (memory ? " memory" : " persistent") + " members serving; leader "
                + cluster.awaitLeader(30));
        if (soakMinutes == 0) {
            round(0, List.of(Fault.KILL_LEADER, Fault.PAUSE_RANDOM), random, seed, 3000);
            return;
        }
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(soakMinutes);
        Fault[] kinds = java.util.Arrays.stream(Fault.values())
                .filter(f -> !(memory && f == Fault.KILL_ALL)).toArray(Fault[]::new);
        for (int r = 0; System.nanoTime() < end; r++) {
            List<Fault> picked = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                picked.add(kinds[random.nextInt(kinds.length)]);
            }
            round(r, picked, random, seed + r, 2000 + random.nextInt(4000));
        }
    }

    /** One round: fresh workloads under {@code /f<r>}, the faults with load between them, then every check. */
    private void round(int r, List<Fault> plan, Random random, long seed, int loadMs) throws Exception {
        String base = "/f" + r;
        RegisterWorkload registers = new RegisterWorkload(cluster, base + "/reg", seed, 3);
        List<Workload> workloads = List.of(
                registers,
                new QueueWorkload(cluster, base + "/queue", seed),
                new MutexCounterWorkload(cluster, base + "/mutex", seed),
                new ElectionWorkload(cluster, base + "/election", seed),
                new FifoWorkload(cluster, base + "/fifo", seed),
                new WatchWorkload(cluster, base + "/reg", seed, registers.paths()));
        int[] processes = {6, 4, 4, 3, 3, 3};
        ZooKeeper admin = FaultClients.zk(cluster, 1 + random.nextInt(FaultCluster.MEMBERS), null);
        try {
            admin.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (Workload w : workloads) {
                w.setup(admin);
            }
        } finally {
            FaultClients.closeQuietly(admin);
        }
        log("round " + r + ": faults " + plan);
        for (int i = 0; i < workloads.size(); i++) {
            workloads.get(i).start(processes[i]);
        }
        List<String> problems = new ArrayList<>();
        try {
            Thread.sleep(loadMs);
            for (Fault fault : plan) {
                inject(fault, random);
                Thread.sleep(loadMs);
            }
        } finally {
            for (Workload w : workloads) {
                w.stop();
            }
            recover();
        }
        int reader = 1 + random.nextInt(FaultCluster.MEMBERS);
        ZooKeeper zk = FaultClients.only(cluster, reader);
        try {
            for (Workload w : workloads) {
                problems.addAll(w.errors);
                problems.addAll(w.check(zk));
                log("  " + w.summary());
            }
        } finally {
            FaultClients.closeQuietly(zk);
        }
        problems.addAll(compareDigests());
        rounds++;
        for (Workload w : workloads) {
            operations += w.history.size();
        }
        log("round " + r + ": " + (problems.isEmpty() ? "all checks passed" : problems.size() + " PROBLEMS"));
        List<String> shown = problems.subList(0, Math.min(problems.size(), 40));
        shown.forEach(p -> log("  PROBLEM " + p));
        assertTrue(problems.isEmpty(), "seed " + seed + ", round " + r + ", faults " + faults + ", "
                + problems.size() + " problems (first 40):\n" + String.join("\n", shown));
    }

    private void inject(Fault fault, Random random) throws Exception {
        int leader = cluster.awaitLeader(20);
        int member = switch (fault) {
            case KILL_LEADER, PAUSE_LEADER -> leader != 0 ? leader : 1 + random.nextInt(FaultCluster.MEMBERS);
            default -> 1 + random.nextInt(FaultCluster.MEMBERS);
        };
        switch (fault) {
            case KILL_LEADER, KILL_RANDOM -> {
                log("kill -9 member " + member + (member == leader ? " (leader)" : ""));
                cluster.kill9(member);
                Thread.sleep(1000 + random.nextInt(2000));
                cluster.launch(member);
                log("restarted member " + member + ": " + cluster.awaitServing(member));
            }
            case PAUSE_LEADER, PAUSE_RANDOM -> {
                log("SIGSTOP member " + member + (member == leader ? " (leader)" : "") + " for " + PAUSE_MS + " ms");
                cluster.pause(member);
                try {
                    Thread.sleep(PAUSE_MS);
                } finally {
                    cluster.resume(member);
                }
                log("SIGCONT member " + member);
            }
            case PAUSE_TWO -> {
                int other = 1 + (member + random.nextInt(FaultCluster.MEMBERS - 1)) % FaultCluster.MEMBERS;
                log("SIGSTOP members " + member + " and " + other + " for " + PAUSE_MS + " ms (no quorum)");
                cluster.pause(member);
                try {
                    cluster.pause(other);
                    Thread.sleep(PAUSE_MS);
                } finally {
                    cluster.resume(member);
                    if (cluster.paused(other)) {
                        cluster.resume(other);
                    }
                }
                log("SIGCONT members " + member + " and " + other);
            }
            case KILL_ALL -> {
                log("kill -9 of all members");
                for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
                    cluster.kill9(id);
                }
                Thread.sleep(500 + random.nextInt(1000));
                for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
                    cluster.launch(id);
                }
                for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
                    cluster.awaitServing(id);
                }
                log("all members restarted");
            }
            case WIPE_RANDOM -> {
                log("kill -9 member " + member + (member == leader ? " (leader)" : "") + " and wipe its data dir");
                cluster.kill9(member);
                cluster.wipe(member);
                cluster.launch(member);
                log("wiped member " + member + " rejoined: " + cluster.awaitServing(member));
            }
        }
        faults.add(fault + "(" + member + ")");
    }

    /** Every member running and serving again (after a failure in the middle of a fault). */
    private void recover() throws Exception {
        for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
            if (cluster.paused(id)) {
                cluster.resume(id);
            }
            if (!cluster.alive(id)) {
                cluster.launch(id);
            }
        }
        for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
            cluster.awaitServing(id);
        }
    }

    /** The members' digests, compared until equal (sessions may still be expiring) or 30 s passed. */
    private List<String> compareDigests() throws Exception {
        List<String> diff = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int nodes = 0;
        while (true) {
            List<Map<String, String>> digests = new ArrayList<>();
            for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
                ZooKeeper zk = FaultClients.only(cluster, id);
                try {
                    digests.add(StateDigest.of(zk));
                } catch (KeeperException e) {
                    digests.add(Map.of("/", "walk failed: " + e));
                } finally {
                    FaultClients.closeQuietly(zk);
                }
            }
            diff.clear();
            for (int id = 2; id <= FaultCluster.MEMBERS; id++) {
                diff.addAll(StateDigest.diff("member1", digests.get(0), "member" + id, digests.get(id - 1), 10));
            }
            nodes = digests.get(0).size();
            if (diff.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000); // an expiring session or a catching-up member: look again
        }
        if (diff.isEmpty()) {
            log("  digests equal on all " + FaultCluster.MEMBERS + " members (" + nodes + " znodes)");
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        problems.add("members' states differ after 30 s:");
        problems.addAll(diff);
        return problems;
    }

    private void log(String line) {
        double t = started == 0 ? 0 : (System.nanoTime() - started) / 1e9;
        String text = String.format("[faults %7.1f s] %s", t, line);
        System.out.println(text);
        if (logFile != null) {
            logFile.println(text);
        }
    }
}
