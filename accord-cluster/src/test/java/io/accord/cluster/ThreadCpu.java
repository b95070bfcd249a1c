package io.accord.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time per thread of a process, from {@code /proc/<pid>/task/<tid>/stat} (Linux; utime + stime in clock
 * ticks of 10 ms), summed by thread name so that several processes can be added up. Empty elsewhere.
 */
final class ThreadCpu {
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final String WAKES = " wakes";

    private ThreadCpu() {
    }

    /**
     * Thread name (as the kernel keeps it: at most 15 characters) to CPU nanoseconds used so far, and the same
     * name + {@code " wakes"} to its voluntary context switches (about one per park or blocking call).
     */
    static Map<String, Long> of(long pid) {
        Map<String, Long> cpu = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return cpu;
        }
        try (Stream<Path> s = Files.list(tasks)) {
            for (Path task : s.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                // After the name: state(0) ppid(1) ... utime(11) stime(12).
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                cpu.merge(name, ticks * NANOS_PER_TICK, Long::sum);
                try {
                    for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            cpu.merge(name + WAKES, Long.parseLong(line.substring(24).trim()), Long::sum);
                        }
                    }
                } catch (IOException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return cpu;
        }
        return cpu;
    }

    /** {@code after - before} per thread name, with {@code into} accumulating across processes. */
    static void addDelta(Map<String, Long> before, Map<String, Long> after, Map<String, Long> into) {
        after.forEach((name, ns) -> into.merge(name, ns - before.getOrDefault(name, 0L), Long::sum));
    }

    /**
     * One line per thread name that used at least 0.1% of a core over {@code windowNs}, busiest first: cores and
     * wake-ups per second.
     */
    static String format(Map<String, Long> delta, long windowNs) {
        StringBuilder sb = new StringBuilder();
        delta.entrySet().stream().filter(e -> !e.getKey().endsWith(WAKES) && e.getValue() * 1000 >= windowNs)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sb.append(String.format("%n    %-16s %.4f cores %6.0f wakes/s", e.getKey(),
                        (double) e.getValue() / windowNs,
                        delta.getOrDefault(e.getKey() + WAKES, 0L) * 1e9 / windowNs)));
        return sb.toString();
    }
}
