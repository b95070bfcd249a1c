package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.bench.Bench;
import io.accord.tools.bench.BenchOptions;
import io.accord.tools.bench.BenchResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load held: 10,000 concurrent sessions on one node — the packaged {@code accord server} in its own JVM (a real
 * one-member Aeron cluster behind a real client port), loaded by {@code accord bench} from this JVM with one request
 * always in flight per session, for a bounded period; every read leaves a data watch, so each session holds one. No
 * session may expire or fail while it keeps talking; the log grows only by the batched session touches (reads and
 * watches never enter the log), at a rate bounded by the number of sessions; the server's heap per 1,000 sessions
 * (with their watches) is measured and reported.
 */
@Timeout(300)
class ManySessionsIT {
    private static final Path JAR = Path.of("target", "accord.jar");
    private static final int SESSIONS = Integer.getInteger("manySessions.count", 10_000);
    private static final int SECONDS = Integer.getInteger("manySessions.seconds", 10);

    @TempDir
    Path dir;
    private Process server;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code accord server} on a zoo.cfg made of {@code lines} in {@code home}. */
    private Process accordServer(Path home, String... lines) throws IOException {
        Files.createDirectories(home);
        Path cfg = Files.writeString(home.resolve("zoo.cfg"), String.join("\n", lines) + "\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Daccord.log.dir=" + home.resolve("logs"), "-jar", JAR.toAbsolutePath().toString(), "server",
                cfg.toString()).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("out.txt").toFile()).start();
        processes.add(p);
        return p;
    }

    @Test
    void tenThousandSessionsStayAliveAndTheirTouchesKeepTheLogSmall() throws Exception {
        int port = TestPorts.freePorts(1, false);
        int admin = TestPorts.freePorts(1, false);
        server = accordServer(dir, "tickTime=2000", "dataDir=" + dir.resolve("data"), "clientPort=" + port,
                "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "accord.mode=memory", "4lw.commands.whitelist=*",
                "admin.serverAddress=127.0.0.1", "admin.serverPort=" + admin);
        awaitServing(server, port);
        long heapBefore = serverHeapAfterGc();
        long znodesBefore = mntr(port, "zk_znode_count");

        // While every session is connected: the most sessions the replica held, the log growth over a stretch of
        // the run, and the server's heap.
        AtomicLong maxSessions = new AtomicLong();
        AtomicLong maxWatches = new AtomicLong();
        long[] measured = new long[4]; // done, log bytes, nanos, heap
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted() && measured[0] == 0) {
                    long sessions = mntr(port, "zk_global_sessions");
                    maxSessions.accumulateAndGet(sessions, Math::max);
                    maxWatches.accumulateAndGet(mntr(port, "zk_watch_count"), Math::max);
                    // Every session exists, and so does the bench's root with every session's znode (created
                    // after connecting): from then on only touches enter the log.
                    if (sessions >= SESSIONS && mntr(port, "zk_znode_count") >= znodesBefore + 1 + SESSIONS) {
                        long start = System.nanoTime();
                        long from = commitPosition(admin);
                        Thread.sleep(SECONDS * 1000L / 2);
                        measured[1] = commitPosition(admin) - from;
                        measured[2] = System.nanoTime() - start;
                        measured[3] = serverHeapAfterGc();
                        maxWatches.accumulateAndGet(mntr(port, "zk_watch_count"), Math::max);
                        measured[0] = 1;
                    }
                    Thread.sleep(200); // polling mntr
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "many-sessions-sampler");
        BenchResult result = benchWhileSampling(sampler, "127.0.0.1:" + port, "get", "--watch");
        assertEquals(SESSIONS, maxSessions.get(), "sessions the replica held at once");
        assertEquals(SESSIONS, maxWatches.get(), "data watches held at once: one per session");
        assertEquals(0, result.watchEventsExpected(), "nothing was written");
        assertEquals(1, measured[0], "the sampler saw every session connected and measured the log and heap");
        double logBytesPerSecond = measured[1] / (measured[2] / 1e9);
        double mbPerThousand = (measured[3] - heapBefore) / 1e6 / (SESSIONS / 1000.0);
        System.out.printf("many sessions: %d sessions, %.0f watched get/s, log growth %.0f bytes/s (%.2f bytes per "
                        + "session per second), server heap %.2f MB per 1,000 sessions with a watch each%n", SESSIONS,
                result.opsPerSec(),
                logBytesPerSecond, logBytesPerSecond / SESSIONS, mbPerThousand);
        // A touch carries each active session's id (8 bytes) about once a second; allow 4x that.
        assertTrue(logBytesPerSecond < 32.0 * SESSIONS + 4096,
                "log grows " + logBytesPerSecond + " bytes/s from " + SESSIONS + " sessions' touches");
        assertTrue(mbPerThousand < 20, "server heap per 1,000 sessions: " + mbPerThousand + " MB");
    }

    /**
     * The same number of sessions spread over a three-member cluster (separate JVMs), with a write load: 10% of the
     * requests are setData, so every member applies the others' writes and touches while serving its own clients.
     * Every read leaves a data watch; each setData after one must bring its session exactly one event, before the
     * setData's reply.
     */
    @Test
    void tenThousandSessionsSpreadOverThreeMembersWithAWriteLoad() throws Exception {
        int clientPort = TestPorts.freePorts(3, false);
        int quorumPort = TestPorts.freePorts(15, true);
        List<String> servers = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            int quorum = quorumPort + 5 * (n - 1); // each member's 5 Aeron ports start at its quorum port
            servers.add("server." + n + "=127.0.0.1:" + quorum + ":" + (quorum + 1));
        }
        List<Process> members = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Path home = dir.resolve("node" + n);
            Files.createDirectories(home.resolve("data"));
            Files.writeString(home.resolve("data").resolve("myid"), n + "\n");
            List<String> lines = new ArrayList<>(List.of("tickTime=2000", "initLimit=10", "syncLimit=5",
                    "dataDir=" + home.resolve("data"), "clientPort=" + (clientPort + n - 1),
                    "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "accord.mode=memory",
                    "4lw.commands.whitelist=*", "admin.enableServer=false"));
            lines.addAll(servers);
            members.add(accordServer(home, lines.toArray(String[]::new)));
        }
        for (int n = 1; n <= 3; n++) {
            awaitServing(members.get(n - 1), clientPort + n - 1);
        }
        AtomicLong maxSessions = new AtomicLong();
        long[] connections = new long[3];
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long sessions = mntr(clientPort, "zk_global_sessions");
                    maxSessions.accumulateAndGet(sessions, Math::max);
                    if (sessions >= SESSIONS) {
                        for (int n = 0; n < 3; n++) {
                            connections[n] = Math.max(connections[n],
                                    mntr(clientPort + n, "zk_num_alive_connections"));
                        }
                    }
                    Thread.sleep(500); // polling mntr
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "many-sessions-sampler");
        BenchResult result = benchWhileSampling(sampler, "127.0.0.1:" + clientPort + ",127.0.0.1:" + (clientPort + 1)
                + ",127.0.0.1:" + (clientPort + 2), "mixed", "--read-pct", "90", "--watch");
        assertEquals(SESSIONS, maxSessions.get(), "sessions the cluster held at once");
        assertTrue(result.watchEventsExpected() > SESSIONS / 10, "watches fired: " + result.resultLine());
        assertEquals(result.watchEventsExpected(), result.watchEvents(), result.resultLine());
        for (int n = 0; n < 3; n++) {
            // the bench spreads sessions round-robin: a third each, plus mntr's own probe connection
            assertTrue(connections[n] >= SESSIONS / 3, "member " + (n + 1) + " served " + connections[n]);
        }
        System.out.printf("many sessions over three members: %d sessions (%d/%d/%d connections), %.0f ops/s of "
                + "which 10%% setData, p99 %.1f ms, %d watch events as expected%n", SESSIONS, connections[0],
                connections[1], connections[2], result.opsPerSec(), result.p99Ms(), result.watchEvents());
    }

    /**
     * Runs the bench from {@code SESSIONS} sessions with one request each in flight while {@code sampler} runs, and
     * checks that every session worked and none failed.
     */
    private static BenchResult benchWhileSampling(Thread sampler, String connect, String workload, String... more)
            throws Exception {
        sampler.setDaemon(true);
        sampler.start();
        List<String> args = new ArrayList<>(List.of("--connect", connect, "--workload", workload, "--clients",
                Integer.toString(SESSIONS), "--window", "1", "--duration", Integer.toString(SECONDS), "--warmup", "3",
                "--quiet"));
        args.addAll(List.of(more));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchResult result;
        try {
            result = Bench.execute(BenchOptions.parse(args.toArray(String[]::new)),
                    new PrintStream(text, true, StandardCharsets.UTF_8));
        } finally {
            sampler.interrupt();
            sampler.join(30_000);
        }
        assertEquals(0, result.errorCount(), "errors " + result.errors() + "\n" + text);
        assertTrue(result.ops() > SESSIONS, "every session made requests: " + result.ops());
        return result;
    }

    private static void awaitServing(Process server, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String srvr = FourLetterWords.askLocal(port, "srvr");
            if (srvr != null && srvr.startsWith("Zookeeper version")) {
                return;
            }
            if (!server.isAlive()) {
                throw new AssertionError("accord exited with " + server.exitValue() + " before serving");
            }
            Thread.sleep(200); // polling a server that is starting
        }
        throw new AssertionError("not serving within 90 s");
    }

    private static long mntr(int port, String key) {
        String mntr = FourLetterWords.askLocal(port, "mntr");
        Matcher m = Pattern.compile(key + "\\s+(\\d+)").matcher(mntr == null ? "" : mntr);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long commitPosition(int admin) throws IOException, InterruptedException {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\naccord_cluster_commit_position ([0-9.E]+)").matcher(body);
        assertTrue(m.find(), "no commit position in\n" + body);
        return (long) Double.parseDouble(m.group(1));
    }

    /** The server JVM's used heap after a full GC, from {@code jcmd}. */
    private long serverHeapAfterGc() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(server.pid()), "GC.run");
        String info = run(jcmd, Long.toString(server.pid()), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        assertTrue(m.find(), "no heap figure in\n" + info);
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ":\n" + out);
        return out;
    }

}
