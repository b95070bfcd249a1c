package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord ensemble} and {@code accord status} from the packaged jar, as an operator runs them: separate
 * JVMs, real sockets, SIGTERM. Ports are picked free (never 2181 or 8080).
 */
@Timeout(180)
class EnsembleCommandIT {
    private static final Path JAR = Path.of("target", "accord.jar");
    private static final Pattern MEMBER = Pattern.compile("member (\\d+): client 127\\.0\\.0\\.1:(\\d+) .* pid (\\d+)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<Long> memberPids = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        for (long pid : memberPids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Runs {@code accord args} with its output (stdout and stderr) in {@code output}. */
    private Process accord(Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Daccord.log.dir=" + dir.resolve("logs"), "-jar",
                JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        processes.add(p);
        return p;
    }

    private static int freePorts(int count, boolean udp) {
        return TestPorts.freePorts(count, udp);
    }

    private static String fourLetterWord(int port, String word) {
        return FourLetterWords.askLocal(port, word);
    }

    private static String awaitOutput(Process p, Path output, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String out = Files.exists(output) ? Files.readString(output) : "";
            if (out.contains(text)) {
                return out;
            }
            if (!p.isAlive()) {
                throw new AssertionError("exited with " + p.exitValue() + " before printing '" + text + "':\n" + out);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("'" + text + "' not printed within " + seconds + " s:\n" + out);
            }
            Thread.sleep(100); // polling the output of a process that is starting
        }
    }

    private static String mode(int port) {
        String srvr = fourLetterWord(port, "srvr");
        if (srvr == null) {
            return null;
        }
        Matcher m = Pattern.compile("Mode: (\\w+)").matcher(srvr);
        return m.find() ? m.group(1) : null;
    }

    private String runToEnd(Path output, String... args) throws Exception {
        Process p = accord(output, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "accord " + String.join(" ", args) + " did not finish");
        return Files.readString(output);
    }

    @Test
    void ensembleOfThreeServesReportsStatusAndStopsEveryMemberOnSigterm() throws Exception {
        int clientPort = freePorts(3, false);
        int adminPort = freePorts(3, false);
        int basePort = freePorts(15, true);
        Path ens = dir.resolve("ens");
        Path out = dir.resolve("ensemble.txt");
        Process launcher = accord(out, "ensemble", "--nodes", "3", "--memory", "--base-port",
                Integer.toString(basePort), "--client-port", Integer.toString(clientPort), "--admin-port",
                Integer.toString(adminPort), "--dir", ens.toString());
        String text = awaitOutput(launcher, out, "ready; connect string", 150);
        Matcher m = MEMBER.matcher(text);
        List<Integer> ports = new ArrayList<>();
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(2)));
            memberPids.add(Long.parseLong(m.group(3)));
        }
        assertEquals(List.of(clientPort, clientPort + 1, clientPort + 2), ports, text);
        String connect = "127.0.0.1:" + clientPort + ",127.0.0.1:" + (clientPort + 1) + ",127.0.0.1:"
                + (clientPort + 2);
        assertTrue(text.contains("ready; connect string " + connect), text);
        assertTrue(text.contains("data " + ens.resolve("node2").resolve("data")), text);
        assertTrue(text.contains("log " + ens.resolve("node3").resolve("logs").resolve("accord.log")), text);
        for (long pid : memberPids) {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "member pid " + pid);
            assertTrue(pid != launcher.pid());
        }

        // Every member answers srvr over its client port: one leader, two followers (once an election settled).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> modes;
        while (true) {
            modes = new ArrayList<>();
            for (int port : ports) {
                modes.add(mode(port));
            }
            if (modes.stream().filter("leader"::equals).count() == 1
                    && modes.stream().filter("follower"::equals).count() == 2) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "modes " + modes);
            Thread.sleep(200); // polling until leadership settles
        }

        // The cluster gauges and counters reach the Prometheus scrape of a member's AdminServer (a counter as
        // <name>_total, as Prometheus names them).
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        for (String name : List.of("accord_cluster_commit_position", "accord_cluster_applied_position",
                "accord_cluster_apply_lag", "accord_cluster_role", "accord_cluster_leader_changes_total")) {
            assertTrue(metrics.body().contains("\n" + name + " "), name + " missing in\n" + metrics.body());
        }
        assertTrue(Files.readString(ens.resolve("node1").resolve("data").resolve(DataDirFormat.FILE))
                .contains("accord.mode=memory"));

        // accord status: a row per member, exit 0; with a dead port added, that row says so and the exit is 1.
        Path statusOut = dir.resolve("status.txt");
        String status = runToEnd(statusOut, "status", connect);
        assertEquals(0, processes.get(processes.size() - 1).exitValue(), status);
        // (Modes as srvr showed them above, unless an election ran in between on a loaded machine.)
        for (int port : ports) {
            assertTrue(Pattern.compile("(?m)^127\\.0\\.0\\.1:" + port + " +(leader|follower) +0x[0-9a-f]+ ")
                    .matcher(status).find(), status);
        }
        assertTrue(status.startsWith("server "), status);
        assertTrue(status.contains("3 of 3 servers answered"), status);
        assertTrue(!status.contains("does not allow mntr"), status); // the ensemble whitelists every 4lw

        int dead = freePorts(1, false);
        String partial = runToEnd(dir.resolve("status2.txt"), "status", connect + ",127.0.0.1:" + dead);
        assertEquals(1, processes.get(processes.size() - 1).exitValue(), partial);
        assertTrue(partial.contains("127.0.0.1:" + dead + "  unreachable"), partial);
        assertTrue(partial.contains("3 of 4 servers answered"), partial);

        // SIGTERM to the launcher stops every member (by PID) and waits for them.
        launcher.destroy();
        assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "the launcher did not stop within 90 s of SIGTERM");
        for (long pid : memberPids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "member pid " + pid + " is alive");
        }
        String stopped = Files.readString(out);
        for (long pid : memberPids) {
            assertTrue(stopped.contains("pid " + pid + " stopped"), stopped);
        }
        for (int port : ports) {
            assertEquals(null, fourLetterWord(port, "srvr"), "port " + port + " still answers");
        }

        // The memory-mode data dir is refused to a persistent node, saying what to do.
        Path cfg = dir.resolve("persistent.cfg");
        Files.writeString(cfg, "tickTime=2000\ndataDir=" + ens.resolve("node1").resolve("data") + "\nclientPort="
                + freePorts(1, false) + "\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n");
        Path refusedOut = dir.resolve("refused.txt");
        String refused = runToEnd(refusedOut, "server", cfg.toString());
        assertEquals(1, processes.get(processes.size() - 1).exitValue(), refused);
        assertTrue(refused.contains("was written in memory mode; start with accord.mode=memory or use another "
                + "dataDir"), refused);
    }

    @Test
    void aMemberThatCannotStartStopsTheOthersAndTheLauncherSaysWhy() throws Exception {
        int clientPort = freePorts(3, false);
        int basePort = freePorts(15, true);
        Path ens = dir.resolve("ens");
        Path data2 = ens.resolve("node2").resolve("data");
        Files.createDirectories(data2);
        // This JVM holds member 2's data dir lock, as a member still running there would.
        try (FileChannel ch = FileChannel.open(data2.resolve("member.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            Path out = dir.resolve("ensemble.txt");
            Process launcher = accord(out, "ensemble", "--nodes", "3", "--memory", "--base-port",
                    Integer.toString(basePort), "--client-port", Integer.toString(clientPort), "--admin-port", "0",
                    "--dir", ens.toString());
            assertTrue(launcher.waitFor(150, TimeUnit.SECONDS), "the launcher did not give up");
            String text = Files.readString(out);
            Matcher m = MEMBER.matcher(text);
            while (m.find()) {
                memberPids.add(Long.parseLong(m.group(3)));
            }
            assertEquals(3, memberPids.size(), text);
            assertEquals(1, launcher.exitValue(), text);
            assertTrue(text.contains("accord ensemble: member 2 exited with code 1; the end of "
                    + data2.getParent().resolve("console.out")), text);
            assertTrue(text.contains("is in use by a running member"), text);
            assertTrue(!text.contains("ready; connect string"), text);
            for (long pid : memberPids) {
                assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "member pid " + pid + " alive");
            }
        }
    }

    @Test
    void statusOfADeadPortExitsOneAndEnsembleRefusesBadOptions() throws Exception {
        int dead = freePorts(1, false);
        String status = runToEnd(dir.resolve("status.txt"), "status", "127.0.0.1:" + dead);
        assertEquals(1, processes.get(processes.size() - 1).exitValue(), status);
        assertTrue(status.contains("127.0.0.1:" + dead + "  unreachable"), status);
        assertTrue(status.contains("0 of 1 servers answered"), status);

        String bad = runToEnd(dir.resolve("bad.txt"), "ensemble", "--nodes", "zero");
        assertEquals(2, processes.get(processes.size() - 1).exitValue(), bad);
        assertTrue(bad.contains("--nodes zero (expected: 1..9)") && bad.contains("usage: accord ensemble"), bad);
    }
}
