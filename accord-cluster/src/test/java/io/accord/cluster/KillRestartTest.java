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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of a whole persistent three-member cluster (one separate JVM, stopped by PID) while it writes, then a
 * restart of all three members right away on the same dirs and ports: the stale mark files must not block the
 * restart, and every write the killed cluster acknowledged must be there on every member.
 */
class KillRestartTest {
    private static final Logger LOG = LoggerFactory.getLogger(KillRestartTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killMinusNineOfAllMembersLosesNoAcknowledgedWriteAndRestartsAtOnce() throws Exception {
        Path root = Files.createTempDirectory("accord-kill-test");
        int base = TestCluster.freePorts(30);
        Map<Integer, Integer> lastAck = new ConcurrentHashMap<>();
        AtomicBoolean serving = new AtomicBoolean();
        List<String> unexpected = new ArrayList<>();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin,
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KillChild.class.getName(), root.toString(), Integer.toString(base))
                .redirectErrorStream(true)
                .start();
        long pid = child.pid();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        lastAck.merge(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Math::max);
                    } else if (line.equals("SERVING")) {
                        serving.set(true);
                    } else {
                        if (line.startsWith("UNEXPECTED")) {
                            unexpected.add(line);
                        }
                        LOG.info("[child {}] {}", pid, line);
                    }
                }
            } catch (IOException e) {
                LOG.info("child output ended: {}", e.toString());
            }
        }, "child-reader");
        reader.setDaemon(true);
        reader.start();
        TestCluster c = null;
        try {
            TestCluster.await(() -> lastAck.size() == 3 && lastAck.values().stream().allMatch(v -> v >= 150), WAIT,
                    () -> "the child acknowledged too little: serving=" + serving + " acks=" + lastAck);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child " + pid + " did not die");
            reader.join(5_000);
            Map<Integer, Integer> acked = Map.copyOf(lastAck);
            LOG.info("killed child {} (kill -9) after acknowledged writes {}", pid, acked);
            assertTrue(unexpected.isEmpty(), unexpected.toString());

            c = TestCluster.at(root, base, 3, StorageMode.PERSISTENT);
            for (int id = 1; id <= 3; id++) {
                assertFalse(new MemberDirsProbe(c.dataDir(id)).markFiles().isEmpty(),
                        "kill -9 leaves Aeron mark files behind in member " + id);
            }
            long t0 = System.nanoTime();
            c.startAll();
            c.awaitServing(WAIT);
            LOG.info("RESTART AFTER KILL -9: 3 members serving {} ms after launch (stale mark files removed)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            for (int id = 1; id <= 3; id++) {
                for (int w = 1; w <= 3; w++) {
                    for (int i = 0; i <= acked.get(w); i++) {
                        assertNotNull(c.node(id).replica().statOf("/k-" + w + "-" + i),
                                "member " + id + " lost acknowledged /k-" + w + "-" + i);
                    }
                }
            }
            c.awaitConverged(WAIT);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            if (c != null) {
                c.close();
            } else {
                TestCluster.at(root, base, 3, StorageMode.PERSISTENT).close();
            }
        }
    }

    /** Lists a data dir's mark files without taking its lock. */
    private record MemberDirsProbe(Path dataDir) {
        List<Path> markFiles() throws IOException {
            List<Path> found = new ArrayList<>();
            for (Path dir : List.of(dataDir.resolve("cluster"), dataDir.resolve("archive"))) {
                try (var s = Files.newDirectoryStream(dir, "*-mark*.dat")) {
                    s.forEach(found::add);
                }
            }
            return found;
        }
    }
}
