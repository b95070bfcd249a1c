package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.bench.Bench;
import io.accord.tools.bench.BenchOptions;
import io.accord.tools.bench.BenchResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * always in flight per session, for a bounded period. No session may expire or fail while it keeps talking; the
 * log grows only by the batched session touches (reads never enter the log), at a rate bounded by the number of
 * sessions; the server's heap per 1,000 sessions is measured and reported.
 */
@Timeout(300)
class ManySessionsIT {
    private static final Path JAR = Path.of("target", "accord.jar");
    private static final int SESSIONS = Integer.getInteger("manySessions.count", 10_000);
    private static final int SECONDS = Integer.getInteger("manySessions.seconds", 10);

    @TempDir
    Path dir;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void tenThousandSessionsStayAliveAndTheirTouchesKeepTheLogSmall() throws Exception {
        int port = freePort();
        int admin = freePort();
        Path cfg = Files.writeString(dir.resolve("zoo.cfg"), String.join("\n", "tickTime=2000",
                "dataDir=" + dir.resolve("data"), "clientPort=" + port, "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0", "accord.mode=memory", "4lw.commands.whitelist=*",
                "admin.serverAddress=127.0.0.1", "admin.serverPort=" + admin, ""));
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Daccord.log.dir=" + dir.resolve("logs"), "-jar", JAR.toAbsolutePath().toString(), "server",
                cfg.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        awaitServing(port);
        long heapBefore = serverHeapAfterGc();

        // While every session is connected: the most sessions the replica held, the log growth over a stretch of
        // the run, and the server's heap.
        AtomicLong maxSessions = new AtomicLong();
        long[] measured = new long[4]; // done, log bytes, nanos, heap
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted() && measured[0] == 0) {
                    long sessions = mntr(port, "zk_global_sessions");
                    maxSessions.accumulateAndGet(sessions, Math::max);
                    if (sessions >= SESSIONS) {
                        Thread.sleep(2000); // let the connect burst's session creations settle
                        long start = System.nanoTime();
                        long from = commitPosition(admin);
                        Thread.sleep(SECONDS * 1000L / 2);
                        measured[1] = commitPosition(admin) - from;
                        measured[2] = System.nanoTime() - start;
                        measured[3] = serverHeapAfterGc();
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
        sampler.setDaemon(true);
        sampler.start();

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchResult result;
        try {
            result = Bench.execute(BenchOptions.parse(new String[] {"--connect", "127.0.0.1:" + port,
                    "--workload", "get", "--clients", Integer.toString(SESSIONS), "--window", "1",
                    "--duration", Integer.toString(SECONDS), "--warmup", "3", "--quiet"}),
                    new PrintStream(text, true, StandardCharsets.UTF_8));
        } finally {
            sampler.interrupt();
            sampler.join(30_000);
        }
        assertEquals(0, result.errorCount(), "errors " + result.errors() + "\n" + text);
        assertTrue(result.ops() > SESSIONS, "every session made requests: " + result.ops());
        assertEquals(SESSIONS, maxSessions.get(), "sessions the replica held at once");
        assertEquals(1, measured[0], "the sampler saw every session connected and measured the log and heap");
        double logBytesPerSecond = measured[1] / (measured[2] / 1e9);
        double mbPerThousand = (measured[3] - heapBefore) / 1e6 / (SESSIONS / 1000.0);
        System.out.printf("many sessions: %d sessions, %.0f get/s, log growth %.0f bytes/s (%.2f bytes per session "
                        + "per second), server heap %.2f MB per 1,000 sessions%n", SESSIONS, result.opsPerSec(),
                logBytesPerSecond, logBytesPerSecond / SESSIONS, mbPerThousand);
        // A touch carries each active session's id (8 bytes) about once a second; allow 4x that.
        assertTrue(logBytesPerSecond < 32.0 * SESSIONS + 4096,
                "log grows " + logBytesPerSecond + " bytes/s from " + SESSIONS + " sessions' touches");
        assertTrue(mbPerThousand < 20, "server heap per 1,000 sessions: " + mbPerThousand + " MB");
    }

    private void awaitServing(int port) throws InterruptedException {
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
