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
 * <p>A workload with a rate ({@code NAME@WINDOW@RATE}) runs the bench open loop ({@code --rate}) with
 * {@code perf.rateClients} sessions and gets its own table: target and achieved rate, p50/p99/p99.9 from the scheduled
 * send time, requests sent late, and the p99 ratio Accord/ZooKeeper. RATE {@code half} is half of the round's peak:
 * the ops/s of {@code set} with window 100 and {@code perf.clients} sessions on the first ZooKeeper configuration of
 * the run, which then runs first in every round (its {@code set} result is reused when the run measures it, else it
 * is measured before the first such workload). {@code set@1@half} is issue #6's "p99 at half of ZooKeeper's peak".
 *
 * <p>Run with {@code mvn -o -pl tests-zk-compat -am -Pperf -DskipTests verify} (see the module's pom); settings
 * by system properties:
 * <pre>
 *   perf.quick=true     3-member configurations, workload set, 3 rounds, 3 s after 2 s warm-up (&lt; 5 min)
 *   perf.configs        comma-separated, from {@link Servers#ALL} (default all eight)
 *   perf.workloads      comma-separated bench workloads, NAME, NAME@WINDOW or NAME@WINDOW@RATE with RATE in ops/s
 *                       or half (default set,create,get,mixed,multi,set@1,set@1@half)
 *   perf.rounds         default 3
 *   perf.duration       measured seconds per run (default 10)
 *   perf.warmup         warm-up seconds per run (default 3)
 *   perf.serverWarmup   seconds of each workload, not measured, right after a configuration starts, so that
 *                       the first workload does not pay for the servers' JIT compilation (default 3; 0 = none)
 *   perf.clients        sessions (default 16)
 *   perf.window         default window (default 100)
 *   perf.rateClients    sessions of the workloads with a rate (default perf.clients x 50 = 800: half the requests
 *                       in flight in the peak run, so by Little's law half its rate is reachable with window 1 as
 *                       long as the latency at half load is no worse than at the peak)
 * </pre>
 */
public final class SideBySide {

    /**
     * One bench workload: name, window and, for an open loop, the rate: ops/s, or {@link #HALF_PEAK}; null for a
     * closed loop.
     */
    record Workload(String name, int window, String rate) {
        static final String HALF_PEAK = "half";

        Workload(String name, int window) {
            this(name, window, null);
        }

        static Workload parse(String spec, int defaultWindow) {
            String[] p = spec.trim().split("@", -1);
            if (io.accord.tools.bench.Workload.of(p[0]) == null || p.length > 3) {
                throw bad(spec);
            }
            int window = defaultWindow;
            if (p.length >= 2) {
                try {
                    window = Integer.parseInt(p[1]);
                } catch (NumberFormatException e) {
                    throw bad(spec);
                }
                if (window < 1) {
                    throw bad(spec);
                }
            }
            String rate = p.length == 3 ? p[2] : null;
            if (rate != null && !rate.equals(HALF_PEAK)) {
                double r;
                try {
                    r = Double.parseDouble(rate);
                } catch (NumberFormatException e) {
                    throw bad(spec);
                }
                if (!(r > 0) || Double.isInfinite(r)) {
                    throw bad(spec);
                }
            }
            return new Workload(p[0], window, rate);
        }

        private static IllegalArgumentException bad(String spec) {
            return new IllegalArgumentException("perf.workloads: '" + spec + "' (expected NAME[@WINDOW[@RATE]], "
                    + "e.g. set, set@1 or set@1@half; RATE is ops/s or half, for half of the peak set rate)");
        }

        boolean openLoop() {
            return rate != null;
        }

        boolean halfPeak() {
            return HALF_PEAK.equals(rate);
        }

        String label() {
            return name + " w=" + window + (rate == null ? "" : halfPeak() ? " @half" : " @" + rate + "/s");
        }
    }

    /** The workload whose ops/s on the run's first ZooKeeper configuration is the peak that {@code half} halves. */
    static final Workload PEAK = new Workload("set", 100);

    /** The settings of one harness run. */
    record Settings(List<String> configs, List<Workload> workloads, int rounds, double duration, double warmup,
                    int clients, int rateClients) {
        Settings {
            configs = List.copyOf(configs);
            workloads = List.copyOf(workloads);
            if (workloads.stream().anyMatch(Workload::halfPeak)) {
                String zk = configs.stream().filter(c -> !Servers.isAccord(c)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("perf.workloads: a rate of 'half' needs a "
                                + "ZooKeeper configuration in perf.configs (half of its peak set rate)"));
                List<String> order = new ArrayList<>(configs);
                order.remove(zk);
                order.add(0, zk); // its peak must be known before the others run at half of it
                configs = List.copyOf(order);
            }
        }

        /** The configuration whose peak {@code set} rate the {@code half} workloads halve, or null if none. */
        String peakConfig() {
            return workloads.stream().anyMatch(Workload::halfPeak) ? configs.get(0) : null;
        }

        static Settings fromProperties() {
            boolean quick = Boolean.getBoolean("perf.quick");
            int window = Integer.parseInt(prop("perf.window", "100"));
            String configs = prop("perf.configs", quick ? "zk-3-sync,accord-3-persistent,zk-3-nosync,accord-3-memory"
                    : String.join(",", Servers.ALL));
            String workloads = prop("perf.workloads", quick ? "set" : "set,create,get,mixed,multi,set@1,set@1@half");
            List<String> cs = Arrays.stream(configs.split(",")).map(String::trim).toList();
            int clients = Integer.parseInt(prop("perf.clients", "16"));
            cs.forEach(Servers::check);
            return new Settings(cs, Arrays.stream(workloads.split(",")).map(w -> Workload.parse(w, window)).toList(),
                    Integer.parseInt(prop("perf.rounds", "3")),
                    Double.parseDouble(prop("perf.duration", quick ? "3" : "10")),
                    Double.parseDouble(prop("perf.warmup", quick ? "2" : "3")),
                    clients, Integer.parseInt(prop("perf.rateClients", Integer.toString(clients * PEAK.window() / 2))));
        }

        private static String prop(String key, String def) {
            String v = System.getProperty(key);
            return v == null || v.isBlank() ? def : v.trim();
        }
    }

    /** What one bench run measured; the rates and late sends only for an open loop (else 0). */
    record Run(double opsPerSec, double serverCores, double benchCores, double p50Ms, double p99Ms, double p999Ms,
               long errors, double rateTarget, double rateAchieved, long sentLate) {
        double opsPerServerCore() {
            return serverCores > 0 ? opsPerSec / serverCores : 0;
        }
    }

    private final Settings settings;
    private final String classpath;
    private final PrintStream out;
    private final Map<String, List<Run>> runs = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    /** Per round: the {@link #PEAK} ops/s of the peak configuration. */
    private final Map<Integer, Double> peaks = new LinkedHashMap<>();

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
        if (settings.workloads().stream().anyMatch(Workload::openLoop)) {
            out.printf(Locale.ROOT, "open-loop workloads: %d sessions%s%n", settings.rateClients(),
                    settings.peakConfig() == null ? "" : "; half = half of " + PEAK.label() + " (" + settings.clients()
                            + " sessions) on " + settings.peakConfig() + " in the same round");
        }
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
                            runOne(round, servers, w, warmUpRate(w, round), serverWarmup, 0, false);
                        }
                        out.printf(Locale.ROOT, "round %d  %-20s warmed up (%.0f s of each workload, not measured)%n",
                                round, config, serverWarmup);
                    }
                    for (Workload w : measuredOrder(config)) {
                        double rate = w.openLoop() ? rate(w, round) : 0;
                        if (Double.isNaN(rate)) {
                            fail(round, config, w.label() + ": no peak rate in this round (" + PEAK.label() + " on "
                                    + settings.peakConfig() + " failed)");
                            continue;
                        }
                        runOne(round, servers, w, rate, settings.duration(), settings.warmup(), true);
                    }
                } finally {
                    servers.close();
                }
            }
        }
    }

    /**
     * The workloads in the order they run on {@code config}: as given, except that on the peak configuration
     * {@link #PEAK} runs before the first {@code half} workload (added if the run does not list it).
     */
    List<Workload> measuredOrder(String config) {
        List<Workload> order = new ArrayList<>(settings.workloads());
        if (config.equals(settings.peakConfig())) {
            int firstHalf = 0;
            while (!order.get(firstHalf).halfPeak()) {
                firstHalf++;
            }
            int peakAt = order.indexOf(PEAK);
            if (peakAt < 0 || peakAt > firstHalf) {
                order.remove(PEAK);
                order.add(firstHalf, PEAK);
            }
        }
        return order;
    }

    /** The rate of an open-loop workload in a round (NaN: half of a peak not measured). */
    double rate(Workload w, int round) {
        if (!w.halfPeak()) {
            return Double.parseDouble(w.rate());
        }
        Double peak = peaks.get(round);
        return peak == null ? Double.NaN : peak / 2;
    }

    /** The rate for the servers' warm-up: the round's or else the previous round's, or 0 (closed loop) if none. */
    private double warmUpRate(Workload w, int round) {
        if (!w.openLoop()) {
            return 0;
        }
        double rate = rate(w, round);
        if (Double.isNaN(rate)) {
            rate = rate(w, round - 1);
        }
        return Double.isNaN(rate) ? 0 : rate;
    }

    private void fail(int round, String config, String what) {
        String line = "round " + round + " " + config + ": " + what;
        failures.add(line);
        out.println("FAILED " + line);
    }

    /**
     * Runs one bench JVM against {@code servers}, open loop at {@code rate} ops/s if positive; its figures are kept
     * only if {@code record}.
     */
    private void runOne(int round, Servers servers, Workload w, double rate, double duration, double warmup,
                       boolean record) throws IOException, InterruptedException {
        Path dir = Jvm.tempDir("perf-bench-");
        List<String> args = new ArrayList<>(List.of("bench", "--connect", servers.connectString(), "--workload",
                w.name(), "--clients", Integer.toString(w.openLoop() ? settings.rateClients() : settings.clients()),
                "--window", Integer.toString(w.window()), "--duration", Double.toString(duration), "--warmup",
                Double.toString(warmup), "--root", "/perf"));
        if (rate > 0) {
            args.addAll(List.of("--rate", String.format(Locale.ROOT, "%.1f", rate)));
        }
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
                Double.parseDouble(result.get("p99_ms")), Double.parseDouble(result.get("p999_ms")),
                Long.parseLong(result.get("errors")), Double.parseDouble(result.getOrDefault("rate_target", "0")),
                Double.parseDouble(result.getOrDefault("rate_achieved", "0")),
                Long.parseLong(result.getOrDefault("sent_late", "0")));
        keep(round, servers.config, w, run);
        out.printf(Locale.ROOT, "round %d  %-20s %-12s %10.0f ops/s  server %.2f cores (%,.0f ops/core-s)  bench "
                        + "%.2f cores  p50 %.3f ms  p99 %.3f ms  errors %d%s%n", round, servers.config, w.label(),
                run.opsPerSec(), run.serverCores(), run.opsPerServerCore(), run.benchCores(), run.p50Ms(),
                run.p99Ms(), run.errors(), w.openLoop() ? String.format(Locale.ROOT, "  p99.9 %.3f ms  target "
                        + "%.0f/s achieved %.0f/s  sent late %d", run.p999Ms(), run.rateTarget(), run.rateAchieved(),
                        run.sentLate()) : "");
    }

    /** Keeps a measured run for the medians; a {@link #PEAK} run on the peak configuration sets the round's peak. */
    void keep(int round, String config, Workload w, Run run) {
        runs.computeIfAbsent(key(w, config), k -> new ArrayList<>()).add(run);
        if (w.equals(PEAK) && config.equals(settings.peakConfig())) {
            peaks.put(round, run.opsPerSec());
        }
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
        closedLoopTable(t);
        openLoopTable(t);
        if (!failures.isEmpty()) {
            t.println("failed runs:");
            failures.forEach(f -> t.println("  " + f));
        }
        t.flush();
        return text.toString();
    }

    /** The closed-loop workloads: throughput, CPU, p50/p99 and the ops/s ratios. */
    private void closedLoopTable(PrintWriter t) {
        if (settings.workloads().stream().allMatch(Workload::openLoop)) {
            return;
        }
        t.printf(Locale.ROOT, "%nmedians of %d rounds (%d clients; ratio = Accord / ZooKeeper: persistent vs "
                + "forceSync=yes, memory vs forceSync=no)%n", settings.rounds(), settings.clients());
        t.printf(Locale.ROOT, "| %-12s | %-20s | %4s | %10s | %12s | %14s | %11s | %8s | %8s | %10s | %14s |%n",
                "workload", "config", "runs", "ops/s", "server cores", "ops/server-core-s", "bench cores", "p50 ms",
                "p99 ms", "ratio ops/s", "ratio per-core");
        t.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Workload w : settings.workloads()) {
            if (w.openLoop()) {
                continue;
            }
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
    }

    /** The open-loop workloads: rates, latency percentiles from the scheduled send time, late sends, p99 ratio. */
    private void openLoopTable(PrintWriter t) {
        if (settings.workloads().stream().noneMatch(Workload::openLoop)) {
            return;
        }
        t.printf(Locale.ROOT, "%nopen loop, medians of %d rounds (%d sessions; latency from the scheduled send time; "
                + "sent late = more than 1 ms behind schedule; ratio = Accord p99 / ZooKeeper p99, persistent vs "
                + "forceSync=yes, memory vs forceSync=no)%n", settings.rounds(), settings.rateClients());
        if (settings.peakConfig() != null) {
            StringBuilder p = new StringBuilder();
            peaks.forEach((round, ops) -> p.append(String.format(Locale.ROOT, "%s round %d %.0f", p.length() == 0
                    ? "" : ",", round, ops)));
            t.printf(Locale.ROOT, "half = half of the peak %s ops/s (%d sessions) on %s:%s%n", PEAK.label(),
                    settings.clients(), settings.peakConfig(), p.length() == 0 ? " not measured" : p);
        }
        t.printf(Locale.ROOT, "| %-14s | %-20s | %4s | %10s | %10s | %12s | %8s | %8s | %9s | %9s | %9s |%n",
                "workload", "config", "runs", "target/s", "achieved/s", "server cores", "p50 ms", "p99 ms",
                "p99.9 ms", "sent late", "ratio p99");
        t.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Workload w : settings.workloads()) {
            if (!w.openLoop()) {
                continue;
            }
            for (String config : settings.configs()) {
                List<Run> rs = runs.getOrDefault(key(w, config), List.of());
                String ratio = "";
                if (Servers.isAccord(config)) {
                    List<Run> base = runs.getOrDefault(key(w, Servers.baselineOf(config)), List.of());
                    if (!rs.isEmpty() && !base.isEmpty()) {
                        ratio = String.format(Locale.ROOT, "%.2fx", median(rs, Run::p99Ms) / median(base, Run::p99Ms));
                    }
                }
                t.printf(Locale.ROOT, "| %-14s | %-20s | %4d | %10.0f | %10.0f | %12.2f | %8.3f | %8.3f | %9.3f | "
                                + "%9.0f | %9s |%n", w.label(), config, rs.size(), median(rs, Run::rateTarget),
                        median(rs, Run::rateAchieved), median(rs, Run::serverCores), median(rs, Run::p50Ms),
                        median(rs, Run::p99Ms), median(rs, Run::p999Ms), median(rs, r -> r.sentLate()), ratio);
            }
        }
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
