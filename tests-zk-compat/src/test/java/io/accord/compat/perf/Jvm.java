package io.accord.compat.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM this harness forked (a server member or a bench), and the CPU it used so far. Every JVM and temp dir is
 * registered so that a shutdown hook stops and removes whatever is left when the harness dies.
 */
final class Jvm implements AutoCloseable {
    private static final Set<Jvm> LIVE = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final Set<Path> DIRS = Collections.synchronizedSet(new LinkedHashSet<>());
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();
    /** Set by the shutdown hook: no JVM is started after it ran. */
    private static volatile boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Jvm::cleanUpAll, "perf-cleanup"));
    }

    final String name;
    final Process process;
    final Path log;

    private Jvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java jvmArgs -cp classpath mainClass args} in {@code workDir}. Its output goes to {@code log},
     * unless {@code log} is null: then it is left to the caller ({@link Process#getInputStream()}, stderr merged).
     */
    static Jvm launch(String name, String classpath, List<String> jvmArgs, String mainClass, List<String> args,
                      Path workDir, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        if (shuttingDown) {
            throw new IllegalStateException("shutting down");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        Jvm jvm = new Jvm(name, pb.start(), log);
        LIVE.add(jvm);
        return jvm;
    }

    /**
     * A private copy of a class path (jars and class directories) in a temp dir: other builds on this machine may
     * reinstall the project's jars into the local repository while the harness runs, and a JVM started later must
     * not load half of an old and half of a new jar.
     */
    static String snapshotClasspath(String classpath) throws IOException {
        Path dir = tempDir("perf-classpath-");
        List<String> copies = new ArrayList<>();
        int i = 0;
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (entry.isEmpty() || !Files.exists(source)) {
                continue;
            }
            Path target = dir.resolve((i++) + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            copies.add(target.toString());
        }
        return String.join(java.io.File.pathSeparator, copies);
    }

    /** A temp dir removed at the end (or by the shutdown hook). */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        DIRS.add(dir);
        return dir;
    }

    static void removeDir(Path dir) {
        DIRS.remove(dir);
        deleteRecursively(dir);
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU seconds this process used so far (from /proc/pid/stat), or -1 once it is gone. */
    double cpuSeconds() {
        return cpuSeconds(pid());
    }

    static double cpuSeconds(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
                    / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            return -1;
        }
    }

    /** utime + stime of a /proc/pid/stat line (fields 14 and 15; the command name may hold spaces). */
    static long parseCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state): utime = field 14, stime = field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The last lines of the log, for error messages. */
    String logTail(int lines) {
        if (log == null) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    private static void cleanUpAll() {
        shuttingDown = true;
        List<Jvm> jvms;
        synchronized (LIVE) {
            jvms = new ArrayList<>(LIVE);
        }
        for (Jvm jvm : jvms) {
            jvm.process.destroy();
        }
        for (Jvm jvm : jvms) {
            try {
                if (!jvm.process.waitFor(10, TimeUnit.SECONDS)) {
                    jvm.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                jvm.process.destroyForcibly();
            }
        }
        List<Path> dirs;
        synchronized (DIRS) {
            dirs = new ArrayList<>(DIRS);
        }
        dirs.forEach(Jvm::deleteRecursively);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
