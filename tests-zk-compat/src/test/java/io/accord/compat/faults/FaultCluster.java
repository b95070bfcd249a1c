package io.accord.compat.faults;

import io.accord.tools.FourLetterWords;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Three Accord members, each in its own JVM ({@code java -cp <test classpath> io.accord.tools.Accord server
 * zoo.cfg}) on loopback, persistent mode by default, with the faults the model checks run against: kill -9 and
 * restart, SIGSTOP/SIGCONT pauses, kill -9 of all members then restart, a wiped data dir.
 *
 * <p>Processes are signalled by their pid only. {@link #close} kills every member it started (also paused ones),
 * waits for them and removes their Aeron directories under /dev/shm; a JVM shutdown hook does the same if the test
 * JVM exits first.
 */
final class FaultCluster implements AutoCloseable {
    static final int MEMBERS = 3;
    /** Followers elect a new leader after this long without the leader's heartbeats. */
    static final int ELECTION_TIMEOUT_MS = 2000;
    static final int TICK_MS = 500;
    private static final Pattern MODE = Pattern.compile("Mode: (\\w+)");
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final Path root;
    private final boolean memory;
    private final int[] clientPorts = new int[MEMBERS + 1];
    private final Process[] processes = new Process[MEMBERS + 1];
    private final boolean[] paused = new boolean[MEMBERS + 1];
    private final List<Process> started = new ArrayList<>();
    private final Thread hook = new Thread(this::killAll, "fault-cluster-kill");
    private final String serverLines;
    private final String classpath;

    FaultCluster(Path root, boolean memory) {
        this.root = root;
        this.memory = memory;
        int clientBase = freePorts(MEMBERS, false);
        int aeronBase = freePorts(5 * MEMBERS + 5, true);
        StringBuilder lines = new StringBuilder();
        for (int id = 1; id <= MEMBERS; id++) {
            clientPorts[id] = clientBase + id - 1;
            int q = aeronBase + 5 * (id - 1);
            lines.append("server.").append(id).append("=127.0.0.1:").append(q).append(':').append(q + 1).append('\n');
        }
        serverLines = lines.toString();
        classpath = privateClasspath(root.resolve("lib"));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts every member and waits until all serve. */
    void startAll() throws Exception {
        for (int id = 1; id <= MEMBERS; id++) {
            launch(id);
        }
        for (int id = 1; id <= MEMBERS; id++) {
            awaitServing(id);
        }
    }

    int clientPort(int id) {
        return clientPorts[id];
    }

    Path dataDir(int id) {
        return root.resolve("node" + id).resolve("data");
    }

    boolean alive(int id) {
        return processes[id] != null && processes[id].isAlive();
    }

    boolean paused(int id) {
        return paused[id];
    }

    /** Starts member {@code id} in a new JVM (returns once the process runs; see {@link #awaitServing}). */
    synchronized void launch(int id) throws IOException {
        if (alive(id)) {
            throw new IllegalStateException("member " + id + " is running");
        }
        Path dir = root.resolve("node" + id);
        Path data = Files.createDirectories(dataDir(id));
        Files.writeString(data.resolve("myid"), id + "\n");
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=" + TICK_MS + "\ninitLimit=10\nsyncLimit=5\n"
                + "dataDir=" + data + "\nclientPortAddress=127.0.0.1\nclientPort=" + clientPorts[id] + "\n"
                + "4lw.commands.whitelist=*\nadmin.enableServer=false\nmaxClientCnxns=0\n"
                + "accord.mode=" + (memory ? "memory" : "persistent") + "\n"
                + "accord.aeron.leaderHeartbeatTimeoutMs=" + ELECTION_TIMEOUT_MS + "\n" + serverLines);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx160m", "-Xss512k", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Daccord.log.dir=" + dir.resolve("logs"),
                "-cp", classpath, "io.accord.tools.Accord", "server", cfg.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.out").toFile())).start();
        processes[id] = p;
        paused[id] = false;
        started.add(p);
    }

    /**
     * This JVM's class path with Accord's own jars copied to {@code lib}: other builds on the machine may replace the
     * jars in the local Maven repository while the members run, and a member loads classes lazily (a class missing
     * from a half-written jar would stop it applying the log).
     */
    private static String privateClasspath(Path lib) {
        List<String> entries = new ArrayList<>();
        try {
            Files.createDirectories(lib);
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (entry.endsWith(".jar") && path.toString().contains("/io/accord/") && Files.isRegularFile(path)) {
                    Path copy = lib.resolve(path.getFileName());
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Waits until member {@code id} answers {@code srvr} as a serving server; returns its mode. */
    String awaitServing(int id) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (System.nanoTime() - deadline < 0) {
            String mode = mode(id);
            if (mode != null) {
                return mode;
            }
            if (!alive(id)) {
                throw new IllegalStateException("member " + id + " exited with " + processes[id].exitValue() + ":\n"
                        + consoleTail(id));
            }
            Thread.sleep(200); // polling a member that is starting
        }
        throw new IllegalStateException("member " + id + " did not serve within 90 s:\n" + consoleTail(id));
    }

    /** The member's {@code srvr} mode (leader, follower, standalone), or null when it does not serve. */
    String mode(int id) {
        if (paused[id]) {
            return null;
        }
        String srvr = FourLetterWords.askLocal(clientPorts[id], "srvr");
        if (srvr == null || !srvr.startsWith("Zookeeper version:")) {
            return null;
        }
        Matcher m = MODE.matcher(srvr);
        return m.find() ? m.group(1) : null;
    }

    /** The member that reports itself leader, or 0 if none does right now. */
    int leader() {
        for (int id = 1; id <= MEMBERS; id++) {
            if (alive(id) && "leader".equals(mode(id))) {
                return id;
            }
        }
        return 0;
    }

    /** Waits up to {@code seconds} for a leader; returns it, or 0 if none showed. */
    int awaitLeader(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() - deadline < 0) {
            int leader = leader();
            if (leader != 0) {
                return leader;
            }
            Thread.sleep(200); // polling until an election settles
        }
        return 0;
    }

    /** kill -9 of member {@code id}; waits until the process is gone. */
    synchronized void kill9(int id) throws InterruptedException {
        Process p = processes[id];
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL on Unix
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("member " + id + " (pid " + p.pid() + ") did not die on SIGKILL");
        }
        paused[id] = false;
    }

    /** SIGSTOP of member {@code id}'s JVM, by pid. */
    synchronized void pause(int id) throws IOException, InterruptedException {
        signal(id, "-STOP");
        paused[id] = true;
    }

    /** SIGCONT of member {@code id}'s JVM, by pid. */
    synchronized void resume(int id) throws IOException, InterruptedException {
        signal(id, "-CONT");
        paused[id] = false;
    }

    private void signal(int id, String signal) throws IOException, InterruptedException {
        Process p = processes[id];
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("member " + id + " is not running");
        }
        Process kill = new ProcessBuilder("kill", signal, Long.toString(p.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + p.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** Deletes a dead member's data dir (its myid is written again at launch) and its Aeron dir. */
    synchronized void wipe(int id) throws IOException {
        if (alive(id)) {
            throw new IllegalStateException("wipe of running member " + id);
        }
        deleteTree(dataDir(id));
        deleteTree(aeronDir(id));
    }

    /**
     * The member's Aeron directory as AeronReplicationPort.Context derives it when none is configured (zoo.cfg has
     * no key for it): /dev/shm/accord-user-id-hash(dataDir).
     */
    Path aeronDir(int id) {
        String base = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        String dir = dataDir(id).toAbsolutePath().normalize().toString();
        return Path.of(base, "accord-" + System.getProperty("user.name", "user") + "-" + id + "-"
                + Integer.toHexString(dir.hashCode()));
    }

    String consoleTail(int id) {
        Path console = root.resolve("node" + id).resolve("console.out");
        try {
            List<String> lines = Files.readAllLines(console);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs killAll anyway
        }
    }

    private synchronized void killAll() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int id = 1; id <= MEMBERS; id++) {
            try {
                deleteTree(aeronDir(id));
            } catch (IOException | UncheckedIOException e) {
                // best effort; reported dirs stay under /dev/shm
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The first of {@code count} consecutive loopback ports in 20000..30000 that are free (UDP or TCP). */
    private static int freePorts(int count, boolean udp) {
        Random random = new Random();
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = 20_000 + random.nextInt(10_000 - count);
            if (free(base, count, udp)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in 20000..30000");
    }

    private static boolean free(int base, int count, boolean udp) {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            for (int p = base; p < base + count; p++) {
                InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
                held.add(udp ? new DatagramSocket(a) : new ServerSocket(p, 1, a.getAddress()));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a probe socket
                }
            }
        }
    }
}
