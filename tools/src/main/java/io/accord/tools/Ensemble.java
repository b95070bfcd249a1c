package io.accord.tools;

import io.accord.cluster.Member;
import io.accord.tools.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code accord ensemble}: a local multi-member cluster for trying Accord. Writes a zoo.cfg and myid per member
 * under one directory, starts each member as its own process ({@code java -jar accord.jar server <zoo.cfg>}, the
 * same java and JVM options as this process), waits until each answers {@code srvr}, prints the connect string,
 * and on SIGTERM/SIGINT stops every member by PID and waits for them.
 */
final class Ensemble {
    static final String USAGE = "usage: accord ensemble [--nodes N] [--memory] [--base-port P] [--client-port C] "
            + "[--admin-port A] [--dir D]";
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long STOP_TIMEOUT_S = 30;

    /** Parsed options. */
    record Options(int nodes, boolean memory, int basePort, int clientPort, int adminPort, Path dir) {
        /** Member i's (1-based) quorum port: Aeron uses 5 consecutive ports from it. */
        int quorumPort(int i) {
            return basePort + (i - 1) * Member.PORTS_PER_MEMBER;
        }

        int clientPort(int i) {
            return clientPort + i - 1;
        }

        int adminPort(int i) {
            return adminPort == 0 ? 0 : adminPort + i - 1;
        }

        Path memberDir(int i) {
            return dir.resolve("node" + i);
        }
    }

    private Ensemble() {
    }

    static Options parse(String[] args) {
        int nodes = 3;
        boolean memory = false;
        int base = 2888;
        int client = 2181;
        int admin = 8080;
        Path dir = Path.of("accord-ensemble");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--memory")) {
                memory = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unexpected '" + a + "'");
            }
            String v = args[++i];
            switch (a) {
                case "--nodes" -> nodes = number(a, v, 1, 9);
                case "--base-port" -> base = number(a, v, 1, 65535);
                case "--client-port" -> client = number(a, v, 1, 65535);
                case "--admin-port" -> admin = number(a, v, 0, 65535);
                case "--dir" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (base + nodes * Member.PORTS_PER_MEMBER - 1 > 65535 || client + nodes - 1 > 65535
                || admin + nodes - 1 > 65535) {
            throw new IllegalArgumentException("ports run past 65535: choose lower --base-port/--client-port/"
                    + "--admin-port");
        }
        return new Options(nodes, memory, base, client, admin, dir.toAbsolutePath().normalize());
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + " (expected: " + min + ".." + max + ")");
    }

    /** The zoo.cfg of member {@code i}. */
    static String zooCfg(Options o, int i) {
        StringBuilder b = new StringBuilder();
        b.append("# accord ensemble: member ").append(i).append(" of ").append(o.nodes()).append('\n');
        b.append("tickTime=2000\ninitLimit=10\nsyncLimit=5\n");
        b.append("dataDir=").append(o.memberDir(i).resolve("data")).append('\n');
        b.append("clientPortAddress=127.0.0.1\nclientPort=").append(o.clientPort(i)).append('\n');
        b.append("4lw.commands.whitelist=*\n");
        b.append("admin.serverAddress=127.0.0.1\nadmin.serverPort=").append(o.adminPort(i)).append('\n');
        b.append("accord.mode=").append(o.memory() ? "memory" : "persistent").append('\n');
        for (int n = 1; n <= o.nodes(); n++) {
            // Accord binds no election port; ZooKeeper's syntax needs one, so it names the next port of the range.
            b.append("server.").append(n).append("=127.0.0.1:").append(o.quorumPort(n)).append(':')
                    .append(o.quorumPort(n) + 1).append('\n');
        }
        return b.toString();
    }

    /**
     * Why the directory cannot hold this ensemble, or null: a run with other members or quorum ports left data that
     * this cluster would misread, and a run in the other mode is refused by each member anyway (said here once,
     * with the option to change). Records the mode in members' new data dirs.
     */
    static String checkExisting(Options o) {
        Path firstCfg = o.memberDir(1).resolve("zoo.cfg");
        if (Files.isRegularFile(firstCfg)) {
            List<String> before;
            try {
                before = serverLines(Files.readString(firstCfg, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return "cannot read " + firstCfg + ": " + e.getMessage();
            }
            List<String> now = serverLines(zooCfg(o, 1));
            if (!before.equals(now)) {
                return o.dir() + " holds an ensemble with other members or quorum ports (" + String.join(", ", before)
                        + "); run with the --nodes and --base-port it was created with, or use another --dir";
            }
        }
        for (int i = 1; i <= o.nodes(); i++) {
            Path data = o.memberDir(i).resolve("data");
            try {
                String written = DataDirFormat.recordedMode(data);
                if ("memory".equals(written) && !o.memory()) {
                    return data + " was written in memory mode; run with --memory or use another --dir";
                }
                if ("persistent".equals(written) && o.memory()) {
                    return data + " was written in persistent mode; run without --memory or use another --dir";
                }
                DataDirFormat.checkAndRecord(data, o.memory());
            } catch (ConfigException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static List<String> serverLines(String zooCfg) {
        return zooCfg.lines().map(String::trim).filter(l -> l.startsWith("server.")).sorted().toList();
    }

    static String connectString(Options o) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 1; i <= o.nodes(); i++) {
            j.add("127.0.0.1:" + o.clientPort(i));
        }
        return j.toString();
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("accord ensemble: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<String> java;
        try {
            java = javaCommand();
        } catch (IllegalStateException e) {
            err.println("accord ensemble: " + e.getMessage());
            return 1;
        }
        String conflict = checkExisting(o);
        if (conflict != null) {
            err.println("accord ensemble: " + conflict);
            return 1;
        }
        for (int i = 1; i <= o.nodes(); i++) {
            if (listening(o.clientPort(i))) {
                err.println("accord ensemble: something already listens on 127.0.0.1:" + o.clientPort(i)
                        + "; choose another --client-port");
                return 1;
            }
        }
        List<Process> members = new ArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            out.println("accord ensemble: stopping " + members.size() + " members");
            stopAll(members, out);
            stop.countDown();
        }, "accord-ensemble-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("accord ensemble: " + o.nodes() + " members, " + (o.memory() ? "memory" : "persistent")
                    + " mode, in " + o.dir());
            for (int i = 1; i <= o.nodes(); i++) {
                Path dir = o.memberDir(i);
                Files.createDirectories(dir.resolve("data"));
                Files.writeString(dir.resolve("data").resolve("myid"), i + "\n");
                Path cfg = dir.resolve("zoo.cfg");
                Files.writeString(cfg, zooCfg(o, i));
                List<String> cmd = new ArrayList<>(java);
                cmd.add(1, "-Daccord.log.dir=" + dir.resolve("logs"));
                cmd.addAll(List.of("server", cfg.toString()));
                Path console = dir.resolve("console.out");
                Process p;
                synchronized (members) {
                    // The stop hook copies the list under this lock after setting stopping: no member escapes it.
                    if (stopping.get()) {
                        break;
                    }
                    p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                            .redirectOutput(console.toFile()).start();
                    members.add(p);
                }
                out.printf("  member %d: client 127.0.0.1:%d  data %s  log %s  pid %d%n", i, o.clientPort(i),
                        dir.resolve("data"), dir.resolve("logs").resolve("accord.log"), p.pid());
            }
            long deadline = System.nanoTime() + START_TIMEOUT_NS;
            for (int i = 1; i <= o.nodes(); i++) {
                out.printf("  waiting for member %d (127.0.0.1:%d) to serve...%n", i, o.clientPort(i));
                String mode = stopping.get() ? null : awaitServing(members, o.clientPort(i), deadline);
                if (stopping.get()) {
                    stop.await(); // a signal arrived while starting: the hook stops the members
                    return 0;
                }
                if (mode == null) {
                    int failed = i;
                    for (int n = 1; n <= members.size(); n++) {
                        if (!members.get(n - 1).isAlive()) {
                            failed = n;
                            break;
                        }
                    }
                    Process p = members.get(failed - 1);
                    err.println("accord ensemble: member " + failed + (p.isAlive() ? " did not serve within "
                            + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NS) + " s"
                            : " exited with code " + p.exitValue()) + "; the end of "
                            + o.memberDir(failed).resolve("console.out") + ":");
                    tail(o.memberDir(failed).resolve("console.out"), 5).forEach(l -> err.println("    " + l));
                    return 1;
                }
                out.printf("  member %d serving (%s)%n", i, mode);
            }
            out.println("accord ensemble: ready; connect string " + connectString(o));
            out.println("accord ensemble: status with 'accord status " + connectString(o) + "'; Ctrl-C stops all "
                    + "members");
            AtomicInteger running = new AtomicInteger(members.size());
            for (int i = 0; i < members.size(); i++) {
                int id = i + 1;
                Process p = members.get(i);
                p.onExit().thenAccept(x -> {
                    if (!stopping.get()) {
                        out.println("accord ensemble: member " + id + " (pid " + x.pid() + ") exited with code "
                                + x.exitValue() + "; see " + o.memberDir(id).resolve("console.out"));
                        if (running.decrementAndGet() == 0) {
                            out.println("accord ensemble: every member has exited");
                            stop.countDown();
                        }
                    }
                });
            }
            stop.await();
            return stopping.get() ? 0 : 1;
        } catch (IOException e) {
            err.println("accord ensemble: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            // Leaving without a signal (a member failed to start, or all exited): stop the others here.
            if (!stopping.get()) {
                stopping.set(true);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    stopAll(members, out);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs and stops them
                }
            }
        }
    }

    /** SIGTERM to every member by PID, then waits for each (SIGKILL after {@value #STOP_TIMEOUT_S} s). */
    private static void stopAll(List<Process> members, PrintStream out) {
        List<Process> copy;
        synchronized (members) {
            copy = new ArrayList<>(members);
        }
        for (Process p : copy) {
            p.destroy();
        }
        for (Process p : copy) {
            try {
                if (!p.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                    out.println("  pid " + p.pid() + " did not stop within " + STOP_TIMEOUT_S + " s; killing it");
                    p.destroyForcibly();
                    p.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS);
                }
                out.println("  pid " + p.pid() + (p.isAlive() ? " is still running" : " stopped (exit code "
                        + p.exitValue() + ")"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /**
     * Polls {@code srvr} until the member on {@code port} serves; its Mode, or null when any member exited or the
     * deadline passed.
     */
    private static String awaitServing(List<Process> members, int port, long deadline) throws InterruptedException {
        while (System.nanoTime() - deadline < 0) {
            String srvr = FourLetterWords.askLocal(port, "srvr");
            if (srvr != null && srvr.startsWith("Zookeeper version:")) {
                return Status.parseSrvr(srvr).getOrDefault("Mode", "?");
            }
            if (!members.stream().allMatch(Process::isAlive)) {
                return null;
            }
            Thread.sleep(200); // polling a port that is still coming up
        }
        return null;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code n} non-blank lines of a member's console output. */
    private static List<String> tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read it: " + e.getMessage() + ")");
        }
    }

    /** This JVM's java, its options (heap, --add-opens, ...) and {@code -jar} this jar. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path jar;
        try {
            jar = Path.of(Ensemble.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot find accord.jar: " + e.getMessage());
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("ensemble runs from the packaged accord.jar (bin/accord), not from " + jar);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:") && !arg.startsWith("-javaagent:") && !arg.startsWith("-Daccord.log.dir=")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }
}
