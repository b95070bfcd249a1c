package io.accord.compat.perf;

import io.accord.tools.bench.Bench;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Side by side with ZooKeeper: starts each server configuration ({@link Servers}) in turn as separate JVMs, runs
 * {@code accord bench} against it in a forked JVM for each workload, and repeats the whole sequence for several
 * rounds so that the configurations interleave (A, B, A, B, ...) and drift hits all of them. CPU of each server
 * process and of the bench is read from /proc over the bench's measured window. Prints one line per run, then a
 * table of medians with the ratio Accord/ZooKeeper (persistent vs forceSync=yes, memory vs forceSync=no).
 *
 * <p>Run with {@code mvn -o -pl tests-zk-compat -am -Pperf -DskipTests verify} (see the module's pom); settings
 * by system properties:
 * <pre>
 *   perf.quick=true     3-member configurations, workload set, 3 rounds, 3 s after 2 s warm-up (&lt; 5 min)
 *   perf.configs        comma-separated, from {@link Servers#ALL} (default all eight)
 *   perf.workloads      comma-separated bench workloads, NAME or NAME@WINDOW (default set,create,get,mixed,multi,set@1)
 *   perf.rounds         default 3
 *   perf.duration       measured seconds per run (default 10)
 *   perf.warmup         warm-up seconds per run (default 3)
 *   perf.serverWarmup   seconds of each workload, not measured, right after a configuration starts, so that
 *                       the first workload does not pay for the servers' JIT compilation (default 3; 0 = none)
 *   perf.clients        sessions (default 16)
 *   perf.window         default window (default 100)
 * </pre>
 */
public final class SideBySide {

    /** One bench workload: name and window. */
    record Workload(String name, int window) {
        static Workload parse(String spec, int defaultWindow) {
            String[] p = spec.trim().split("@");
            if (io.accord.tools.bench.Workload.of(p[0]) == null || p.length > 2) {
                throw new IllegalArgumentException("perf.workloads: '" + spec + "' (expected e.g. set or set@1)");
            }
            return new Workload(p[0], p.length == 2 ? Integer.parseInt(p[1]) : defaultWindow);
        }

        String label() {
            return name + " w=" + window;
        }
    }

    /** The settings of one harness run. */
    record Settings(List<String> configs, List<Workload> workloads, int rounds, double duration, double warmup,
                    int clients) {
        static Settings fromProperties() {
            boolean quick = Boolean.getBoolean("perf.quick");
            int window = Integer.parseInt(prop("perf.window", "100"));
            String configs = prop("perf.configs", quick ? "zk-3-sync,accord-3-persistent,zk-3-nosync,accord-3-memory"
                    : String.join(",", Servers.ALL));
            String workloads = prop("perf.workloads", quick ? "set" : "set,create,get,mixed,multi,set@1");
            List<String> cs = Arrays.stream(configs.split(",")).map(String::trim).toList();
            cs.forEach(Servers::check);
            return new Settings(cs, Arrays.stream(workloads.split(",")).map(w -> Workload.parse(w, window)).toList(),
                    Integer.parseInt(prop("perf.rounds", "3")),
                    Double.parseDouble(prop("perf.duration", quick ? "3" : "10")),
                    Double.parseDouble(prop("perf.warmup", quick ? "2" : "3")),
                    Integer.parseInt(prop("perf.clients", "16")));
        }

        private static String prop(String key, String def) {
            String v = System.getProperty(key);
            return v == null || v.isBlank() ? def : v.trim();
        }
    }

    /** What one bench run measured. */
    record Run(double opsPerSec, double serverCores, double benchCores, double p50Ms, double p99Ms, long errors) {
        double opsPerServerCore() {
            return serverCores > 0 ? opsPerSec / serverCores : 0;
        }
    }

    private final Settings settings;
    private final String classpath;
    private final PrintStream out;
    private final Map<String, List<Run>> runs = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    SideBySide(Settings settings, String classpath, PrintStream out) {
        this.settings = settings;
        this.classpath = classpath;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromProperties();
        String classpath = Jvm.snapshotClasspath(System.getProperty("java.class.path"));
        SideBySide harness = new SideBySide(settings, classpath, System.out);
        long start = System.nanoTime();
        harness.runAll();
        System.out.printf(Locale.ROOT, "%ntook %.0f s%n", (System.nanoTime() - start) / 1e9);
        String table = harness.table();
        System.out.print(table);
        Path saved = Path.of("target", "side-by-side.md");
        if (Files.isDirectory(saved.getParent())) {
            Files.writeString(saved, machine() + "\n" + table);
            System.out.println("table saved in " + saved.toAbsolutePath());
        }
        System.exit(harness.failures.isEmpty() ? 0 : 1);
    }

    void runAll() throws IOException, InterruptedException {
        out.println(machine());
        out.printf(Locale.ROOT, "settings: %s, %d rounds, %d clients, %.0f s measured after %.0f s warm-up per run%n",
                settings.configs(), settings.rounds(), settings.clients(), settings.duration(), settings.warmup());
        for (int round = 1; round <= settings.rounds(); round++) {
            for (String config : settings.configs()) {
                Servers servers;
                long startedAt = System.nanoTime();
                try {
                    servers = Servers.start(config, classpath);
                    out.printf(Locale.ROOT, "round %d  %-20s serving after %.1f s%n", round, config,
                            (System.nanoTime() - startedAt) / 1e9);
                } catch (IllegalStateException e) {
                    fail(round, config, "did not start: " + e.getMessage());
                    continue;
                }
                try {
                    double serverWarmup = Double.parseDouble(Settings.prop("perf.serverWarmup", "3"));
                    if (serverWarmup > 0) {
                        for (Workload w : settings.workloads()) {
                            runOne(round, servers, w, serverWarmup, 0, false);
                        }
                        out.printf(Locale.ROOT, "round %d  %-20s warmed up (%.0f s of each workload, not measured)%n",
                                round, config, serverWarmup);
                    }
                    for (Workload w : settings.workloads()) {
                        runOne(round, servers, w, settings.duration(), settings.warmup(), true);
                    }
                } finally {
                    servers.close();
                }
            }
        }
    }

    private void fail(int round, String config, String what) {
        String line = "round " + round + " " + config + ": " + what;
        failures.add(line);
        out.println("FAILED " + line);
    }

    /** Runs one bench JVM against {@code servers}; its figures are kept only if {@code record}. */
    private void runOne(int round, Servers servers, Workload w, double duration, double warmup, boolean record)
            throws IOException, InterruptedException {
        Path dir = Jvm.tempDir("perf-bench-");
        List<String> args = List.of("bench", "--connect", servers.connectString(), "--workload", w.name(),
                "--clients", Integer.toString(settings.clients()), "--window", Integer.toString(w.window()),
                "--duration", Double.toString(duration), "--warmup", Double.toString(warmup), "--root", "/perf");
        Jvm bench = Jvm.launch("bench", classpath, List.of("-Xmx512m"), "io.accord.tools.Accord", args, dir, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) (duration + warmup) + 120);
        Thread watchdog = new Thread(() -> {
            try {
                if (!bench.process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    bench.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                bench.process.destroyForcibly();
            }
        }, "perf-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        double[] start = null;
        double[] end = null;
        Map<String, String> result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(bench.process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(Bench.MEASURE_START)) {
                    start = sample(servers, bench);
                } else if (line.contains(Bench.MEASURE_END)) {
                    end = sample(servers, bench);
                } else if (line.startsWith("RESULT ")) {
                    result = parseResult(line);
                }
                tail.append(line).append('\n');
                if (tail.length() > 4000) {
                    tail.delete(0, tail.length() - 4000);
                }
            }
        } finally {
            bench.close();
            watchdog.interrupt();
            Jvm.removeDir(dir);
        }
        if (result == null || start == null || end == null || bench.process.exitValue() != 0) {
            fail(round, servers.config, w.label() + ": bench exited with " + bench.process.exitValue() + ":\n" + tail);
            return;
        }
        if (Long.parseLong(result.get("ops")) == 0) {
            StringBuilder logs = new StringBuilder();
            for (Jvm m : servers.members) {
                logs.append("--- ").append(m.name).append(m.process.isAlive() ? " (alive)" : " (exited)")
                        .append(":\n").append(m.logTail(15)).append('\n');
            }
            fail(round, servers.config, w.label() + ": no request completed in the measured window:\n" + tail + logs);
            return;
        }
        if (!record) {
            return;
        }
        double wall = end[0] - start[0];
        Run run = new Run(Double.parseDouble(result.get("ops_per_sec")), (end[1] - start[1]) / wall,
                (end[2] - start[2]) / wall, Double.parseDouble(result.get("p50_ms")),
                Double.parseDouble(result.get("p99_ms")), Long.parseLong(result.get("errors")));
        runs.computeIfAbsent(key(w, servers.config), k -> new ArrayList<>()).add(run);
        out.printf(Locale.ROOT, "round %d  %-20s %-12s %10.0f ops/s  server %.2f cores (%,.0f ops/core-s)  bench "
                        + "%.2f cores  p50 %.3f ms  p99 %.3f ms  errors %d%n", round, servers.config, w.label(),
                run.opsPerSec(), run.serverCores(), run.opsPerServerCore(), run.benchCores(), run.p50Ms(),
                run.p99Ms(), run.errors());
    }

    /** {wall seconds, server CPU seconds, bench CPU seconds}. */
    private static double[] sample(Servers servers, Jvm bench) {
        return new double[] {System.nanoTime() / 1e9, servers.cpuSeconds(), Math.max(0, bench.cpuSeconds())};
    }

    static Map<String, String> parseResult(String line) {
        Map<String, String> map = new HashMap<>();
        for (String kv : line.substring("RESULT ".length()).trim().split(" +")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                map.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return map;
    }

    private static String key(Workload w, String config) {
        return w.label() + "|" + config;
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Medians per workload and configuration, and each Accord configuration's ratio to its ZooKeeper baseline. */
    String table() {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter t = new PrintWriter(text);
        t.printf(Locale.ROOT, "%nmedians of %d rounds (%d clients; ratio = Accord / ZooKeeper: persistent vs "
                + "forceSync=yes, memory vs forceSync=no)%n", settings.rounds(), settings.clients());
        t.printf(Locale.ROOT, "| %-12s | %-20s | %4s | %10s | %12s | %14s | %11s | %8s | %8s | %10s | %14s |%n",
                "workload", "config", "runs", "ops/s", "server cores", "ops/server-core-s", "bench cores", "p50 ms",
                "p99 ms", "ratio ops/s", "ratio per-core");
        t.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Workload w : settings.workloads()) {
            for (String config : settings.configs()) {
                List<Run> rs = runs.getOrDefault(key(w, config), List.of());
                String ratio = "";
                String ratioCore = "";
                if (Servers.isAccord(config)) {
                    List<Run> base = runs.getOrDefault(key(w, Servers.baselineOf(config)), List.of());
                    if (!rs.isEmpty() && !base.isEmpty()) {
                        ratio = String.format(Locale.ROOT, "%.2fx", median(rs, Run::opsPerSec)
                                / median(base, Run::opsPerSec));
                        ratioCore = String.format(Locale.ROOT, "%.2fx", median(rs, Run::opsPerServerCore)
                                / median(base, Run::opsPerServerCore));
                    }
                }
                t.printf(Locale.ROOT, "| %-12s | %-20s | %4d | %10.0f | %12.2f | %14.0f | %11.2f | %8.3f | %8.3f | "
                                + "%10s | %14s |%n", w.label(), config, rs.size(), median(rs, Run::opsPerSec),
                        median(rs, Run::serverCores), median(rs, Run::opsPerServerCore), median(rs, Run::benchCores),
                        median(rs, Run::p50Ms), median(rs, Run::p99Ms), ratio, ratioCore);
            }
        }
        if (!failures.isEmpty()) {
            t.println("failed runs:");
            failures.forEach(f -> t.println("  " + f));
        }
        t.flush();
        return text.toString();
    }

    static String machine() {
        String model = "?";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // not Linux: the model is unknown
        }
        String load = "?";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            // not Linux
        }
        return String.format(Locale.ROOT, "machine: %d cores (%s), %s %s, Java %s; load average (1, 5, 15 min): %s",
                Runtime.getRuntime().availableProcessors(), model, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"), load);
    }
}
