package io.accord.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM checkpointing into Xodus is killed with SIGKILL just as it announces a change-set write (0–3 ms later,
 * so inside the Xodus transaction or just past it); after each kill the store must open at exactly the last
 * committed position or the one being written, holding exactly the state of a replica that applied the log up
 * to that position.
 * The next round restarts the process from the store (the real restart path), and so on.
 */
class CrashConsistencyTest {
    private static final long SEED = 77;
    private static final int ENTRIES = 60_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void sigkillMidCheckpointLeavesOneConsistentPosition() throws Exception {
        Workload w = Workload.generate(SEED, ENTRIES);
        Path store = dir.resolve("store");
        Random rnd = new Random(5);
        long previous = CheckpointStore.EMPTY;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(javaCommand(store)).redirectErrorStream(false)
                    .redirectError(dir.resolve("child-" + round + ".err").toFile()).start();
            long lastReported = CheckpointStore.EMPTY;
            long writingTo = CheckpointStore.EMPTY;
            int writesSeen = 0;
            int killAtWrite = 2 + rnd.nextInt(6);
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("checkpointed ")) {
                        lastReported = Long.parseLong(line.substring(13));
                        writingTo = CheckpointStore.EMPTY;
                    } else if (line.startsWith("writing ")) {
                        String[] f = line.split(" "); // writing <changes> <from> <to>
                        writingTo = Long.parseLong(f[3]);
                        boolean advances = Integer.parseInt(f[1]) > 0 && writingTo > Long.parseLong(f[2]);
                        if (advances && ++writesSeen >= killAtWrite) {
                            break; // the child is inside this Xodus transaction (or just past it)
                        }
                    } else if (line.startsWith("done")) {
                        break;
                    }
                }
                // a random kill point inside or just after that write, not a wait for a condition
                java.util.concurrent.locks.LockSupport.parkNanos(rnd.nextInt(3_000_000));
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no Xodus close
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            }
            assertEquals(137, child.exitValue(), "child must die by SIGKILL; output " + lines);
            assertTrue(writesSeen > 0, "child made no checkpoint: " + lines);

            try (XodusCheckpointStore reopened = XodusCheckpointStore.open(store)) {
                long position = reopened.appliedPosition();
                assertTrue(position == lastReported || position == writingTo, "store at " + position
                        + " (expected: the last committed " + lastReported + " or the one being written " + writingTo + ")");
                assertTrue(position >= previous, "store went back from " + previous + " to " + position);
                StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
                assertTrue(reopened.load(loader));
                StateMachine restored = loader.finish();
                StateMachine reference = new StateMachine(CoreConfig.defaults());
                for (Workload.Step s : w.steps) {
                    if (s.position() <= position) {
                        s.applyTo(reference);
                    }
                }
                assertEquals(reference.appliedPosition(), restored.appliedPosition());
                assertEquals(reference.digest(), restored.digest(), "round " + round + " at " + position);
                System.out.printf("round %d: killed in write %d (committed %d, writing %d), reopened at %d of %d, "
                        + "last line %s%n", round, writesSeen, lastReported, writingTo, position,
                        w.steps.get(w.steps.size() - 1).position(), lines.get(lines.size() - 1));
                previous = position;
            }
        }
        // finally the restored replica catches up from the log to the same state as one that applied it all
        try (XodusCheckpointStore reopened = XodusCheckpointStore.open(store)) {
            StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
            reopened.load(loader);
            StateMachine restored = loader.finish();
            w.steps.forEach(s -> s.applyTo(restored));
            assertEquals(w.driver.digest(), restored.digest());
        }
    }

    private static List<String> javaCommand(Path store) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return List.of(java, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                store.toString(), Long.toString(SEED), Integer.toString(ENTRIES));
    }
}
