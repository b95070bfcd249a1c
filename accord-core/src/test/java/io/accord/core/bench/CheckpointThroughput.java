package io.accord.core.bench;

import io.accord.core.storage.Checkpointer;
import io.accord.core.storage.XodusCheckpointStore;
import io.accord.core.txn.Request;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast the {@link Checkpointer} writes distinct znodes into Xodus while a writer applies 8-byte setData to
 * random znodes of a 1M-znode tree (1000 parents x 1000 children), and whether it keeps up with the apply rate.
 *
 * <p>Phases: populate the replica in memory; the first checkpoint writes the whole image (1M znodes, one Xodus
 * transaction); then {@code seconds} of random setData in log entries of 100 requests on a writer thread while
 * the checkpointer drains every {@code intervalMs} and fsyncs every 10 s. Every 5 s it prints the apply rate, the
 * distinct znodes the checkpointer wrote per second of wall time and per second of its own busy time, and the
 * lag (log positions applied but not yet checkpointed). It keeps up when the lag stays bounded (about one
 * interval of entries) rather than growing.
 *
 * <p>Run (Xodus needs the add-opens flag; copy the classes first if others rebuild the tree):
 * <pre>
 * cd /work/main && mvn -q -pl accord-core test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx6g \
 *     -cp accord-core/target/test-classes:accord-core/target/classes:$(cat /tmp/cp.txt) \
 *     io.accord.core.bench.CheckpointThroughput [dir] [seconds=60] [intervalMs=1000] [parents=1000] [children=1000] \
 *     [xodusLogFileMb=128]
 * </pre>
 * or {@code MAVEN_OPTS="--add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx6g" mvn -q -pl accord-core
 * test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.accord.core.bench.CheckpointThroughput}.
 * The store directory is left in place (default {@code /tmp/accord-checkpoint-bench}), for {@link RestartTime}.
 */
public final class CheckpointThroughput {
    private CheckpointThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/accord-checkpoint-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        int parents = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int children = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        XodusCheckpointStore.Settings xodus = XodusCheckpointStore.Settings.defaults();
        if (args.length > 5) {
            xodus = xodus.withLogFileSizeKb(Long.parseLong(args[5]) * 1024);
        }
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        CheckpointBench bench = new CheckpointBench(parents, children);
        System.out.printf("populated %,d znodes in %.1f s, heap %d MB%n", bench.sm.nodeCount(),
                (System.nanoTime() - t0) / 1e9, CheckpointBench.heapUsedMb());

        XodusCheckpointStore store = XodusCheckpointStore.open(dir, xodus);
        long t1 = System.nanoTime();
        Checkpointer cp = Checkpointer.start(bench.sm, store, new Checkpointer.Settings(intervalMs, 10_000));
        cp.checkpointAndSync(3_600_000);
        double bulkS = (System.nanoTime() - t1) / 1e9;
        System.out.printf("initial image: %,d znodes written and synced in %.1f s = %,.0f znodes/s; store %,d MB%n",
                store.nodeCount(), bulkS, store.nodeCount() / bulkS, store.sizeBytes() >> 20);

        Thread cpThread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("accord-checkpoint-writer")).findFirst().orElseThrow();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong applied = new AtomicLong();
        Thread writer = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(1);
            List<Request> batch = new ArrayList<>(100);
            long v = 0;
            while (!stop.get()) {
                for (int i = 0; i < 100; i++) {
                    batch.add(bench.setData(bench.paths[rnd.nextInt(bench.paths.length)], ++v));
                }
                bench.apply(batch, null);
                applied.addAndGet(100);
            }
        }, "writer");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processCpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long cpCpu0 = mx.getThreadCpuTime(cpThread.getId());
        long written0 = cp.changesWritten();
        long writeNanos0 = cp.writeNanosTotal();
        writer.start();
        long lastApplied = 0;
        long lastWritten = written0;
        long lastCpCpu = cpCpu0;
        long lastT = start;
        long maxLag = 0;
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(5_000); // reporting period of the benchmark, not a wait for a condition
            long now = System.nanoTime();
            long a = applied.get();
            long w = cp.changesWritten();
            long cpu = mx.getThreadCpuTime(cpThread.getId());
            long lag = bench.position - cp.checkpointedPosition();
            maxLag = Math.max(maxLag, lag);
            double dt = (now - lastT) / 1e9;
            double busy = (cpu - lastCpCpu) / 1e9;
            System.out.printf("t=%3.0fs apply %,9.0f setData/s | checkpoint %,9.0f distinct znodes/s wall, "
                            + "%,9.0f per checkpointer-CPU-s | lag %,d entries | last write %,d ms, drain %,d ms | %d sets | "
                            + "store %,d MB | heap %,d MB%s%n",
                    (now - start) / 1e9, (a - lastApplied) / dt, (w - lastWritten) / dt,
                    busy > 0 ? (w - lastWritten) / busy : 0.0, lag, cp.lastWriteNanos() / 1_000_000, cp.lastDrainNanos() / 1_000_000, cp.checkpoints(),
                    store.sizeBytes() >> 20, CheckpointBench.heapUsedMb(), cp.healthy() ? "" : " FAILING: " + cp.lastFailure());
            lastApplied = a;
            lastWritten = w;
            lastCpCpu = cpu;
            lastT = now;
        }
        stop.set(true);
        long writerCpu = mx.getThreadCpuTime(writer.getId());
        writer.join();
        long processCpu = os.getProcessCpuTime() - processCpu0;
        double total = (System.nanoTime() - start) / 1e9;
        long cpCpu = mx.getThreadCpuTime(cpThread.getId()) - cpCpu0;
        long written = cp.changesWritten() - written0;
        double writeS = (cp.writeNanosTotal() - writeNanos0) / 1e9;
        long t2 = System.nanoTime();
        cp.checkpointAndSync(3_600_000);
        System.out.printf("final catch-up checkpoint + sync: %.2f s, lag now %d entries%n",
                (System.nanoTime() - t2) / 1e9, bench.position - cp.durablePosition());
        System.out.printf("SUMMARY: %,.0f setData/s applied over %.0f s; checkpointer wrote %,d distinct znode changes "
                        + "(%,.0f/s averaged over the run); write capacity %,.0f distinct znodes/s of write wall time, "
                        + "%,.0f per CPU-second of its thread (%.0f%% of a core); busy writing %.0f%% of the time; "
                        + "max lag %,d entries (%.1f s of writes); %,d drains (apply paused) of %.1f ms on average, "
                        + "longest %,d ms; "
                        + "store %,d MB on disk for %,d znodes; live digest %x%n",
                applied.get() / total, total, written, written / total, written / writeS, written / (cpCpu / 1e9),
                100.0 * cpCpu / 1e9 / total, 100.0 * writeS / total, maxLag, maxLag * 100.0 / (applied.get() / total),
                cp.drains(), cp.drainNanosTotal() / 1e6 / Math.max(1, cp.drains()), cp.maxDrainNanos() / 1_000_000, store.sizeBytes() >> 20, store.nodeCount(), bench.sm.digest());
        java.util.Map<String, Long> byThread = new java.util.TreeMap<>();
        long javaThreads = 0;
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byThread.merge(info.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
                javaThreads += cpu;
            }
        }
        byThread.entrySet().stream().filter(e -> e.getValue() > 200_000_000L)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> System.out.printf("  thread %-40s %6.1f s CPU since start%n", e.getKey(), e.getValue() / 1e9));
        System.out.printf("  JVM-internal (GC, JIT) %6.1f s CPU since start%n",
                (os.getProcessCpuTime() - javaThreads) / 1e9);
        System.out.printf("host load average %.1f on %d cores%n", os.getSystemLoadAverage(), os.getAvailableProcessors());
        System.out.printf("CPU: process %.1f s (%.2f cores) = writer thread %.1f s (%.2f us per setData incl. drains) "
                        + "+ checkpointer %.1f s (%.2f us per distinct znode) + other %.1f s (JVM GC, JIT, Xodus GC: "
                        + "%.2f us per distinct znode if all charged to the checkpoint)%n",
                processCpu / 1e9, processCpu / 1e9 / total, writerCpu / 1e9, writerCpu / 1e3 / applied.get(),
                cpCpu / 1e9, cpCpu / 1e3 / written, (processCpu - writerCpu - cpCpu) / 1e9,
                (processCpu - writerCpu - cpCpu) / 1e3 / written);
        cp.close();
        store.close();
    }
}
