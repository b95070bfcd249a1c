package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code accord} command, run as an operator would: a separate JVM, real sockets, SIGTERM. */
@Timeout(120)
class AccordCommandIT {
    private static final Path JAR = Path.of("target", "accord.jar");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process accord(Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Daccord.log.dir=" + workDir.resolve("logs"), "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("out.txt").toFile()).start();
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Sends a four-letter word and returns the whole answer, or null while nothing listens. */
    private static String fourLetterWord(int port, String word) {
        return FourLetterWords.askLocal(port, word);
    }

    private static String awaitAnswer(Process p, int port, String word) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String answer = fourLetterWord(port, word);
            if (answer != null && !answer.isEmpty()) {
                return answer;
            }
            if (!p.isAlive()) {
                throw new AssertionError("accord exited with " + p.exitValue() + " before serving");
            }
            Thread.sleep(100); // polling a port that is still coming up
        }
        throw new AssertionError("no answer to " + word + " on port " + port + " within 60 s");
    }

    /**
     * Waits until the server serves: like ZooKeeper, it answers {@code ruok} as soon as the client port
     * listens, and every other word with "not currently serving requests" until its replica is ready.
     */
    private static String awaitServing(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String answer = awaitAnswer(p, port, "srvr");
        while (answer.startsWith("This ZooKeeper instance is not currently serving") && System.nanoTime() < deadline) {
            Thread.sleep(100); // the one-member cluster is still electing itself
            answer = awaitAnswer(p, port, "srvr");
        }
        return answer;
    }

    @Test
    void serverFromZooCfgServesClientsAndStopsOnSigterm() throws Exception {
        int port = freePort();
        int adminPort = freePort();
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=2000\ndataDir=" + dir.resolve("data") + "\nclientPort=" + port
                + "\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\nsnapCount=1000\n"
                + "admin.serverAddress=127.0.0.1\nadmin.serverPort=" + adminPort + "\n");
        Process p = accord(dir, "server", cfg.toString());

        assertEquals("imok", awaitAnswer(p, port, "ruok"));
        String srvr = awaitServing(p, port);
        assertTrue(srvr.startsWith("Zookeeper version: "), srvr);
        assertTrue(srvr.contains("Mode: standalone"), srvr);
        HttpResponse<String> ruok = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/commands/ruok")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ruok.statusCode());
        assertTrue(ruok.body().contains("\"command\" : \"ruok\""), ruok.body());

        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "accord did not stop within 30 s of SIGTERM");
        String out = Files.readString(dir.resolve("out.txt"));
        assertTrue(out.contains("snapCount is a ZooKeeper setting that Accord does not need"), out);
        assertTrue(out.contains("stopping:"), out);
    }

    @Test
    void serverWithoutArgumentsServesLoopback2181() throws Exception {
        Assumptions.assumeTrue(fourLetterWord(2181, "ruok") == null, "something already listens on 2181");
        Assumptions.assumeTrue(fourLetterWord(8080, "ruok") == null, "something already listens on 8080");
        Process p = accord(dir, "server");
        String srvr = awaitServing(p, 2181);
        assertTrue(srvr.contains("Mode: standalone"), srvr);
        // ZooKeeper's default whitelist holds only srvr.
        assertEquals("ruok is not executed because it is not in the whitelist.\n", fourLetterWord(2181, "ruok"));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void badConfigurationExitsWithAMessageSayingWhatIsWrong() throws Exception {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "dataDir=" + dir + "\nclientPort=2181\nminSessionTimeout=9000\nmaxSessionTimeout=10\n");
        Process p = accord(dir, "server", cfg.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(dir.resolve("out.txt"))
                .contains("minSessionTimeout 9000 must not be larger than maxSessionTimeout 10"));

        Process missing = accord(dir, "server", "nope.cfg");
        assertTrue(missing.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, missing.exitValue());
        assertTrue(Files.readString(dir.resolve("out.txt")).contains("zoo.cfg not found"));
    }

    @Test
    void unknownCommandPrintsUsage() throws Exception {
        Process p = accord(dir, "frobnicate");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String out = Files.readString(dir.resolve("out.txt"));
        assertTrue(out.contains("unknown command 'frobnicate'") && out.contains("usage: accord"), out);
    }
}
