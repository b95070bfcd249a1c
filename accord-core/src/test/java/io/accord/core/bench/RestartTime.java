package io.accord.core.bench;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.storage.Checkpointer;
import io.accord.core.storage.XodusCheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Time to reopen a Xodus checkpoint store and rebuild a {@link StateMachine} from it: open, load (one read-only
 * scan of meta, ACLs, nodes in key order, sessions) into {@link StateMachine#loader}, finish. Run it in a fresh
 * JVM so the figure includes class loading and a cold Xodus cache (the OS page cache may still be warm).
 *
 * <p>If {@code dir} holds no store, it first builds one of {@code parents x children} znodes (8-byte values) and
 * exits; run it again to measure. With a store left by {@link CheckpointThroughput} it measures that one.
 * <pre>
 * java --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx6g \
 *     -cp accord-core/target/test-classes:accord-core/target/classes:$(cat /tmp/cp.txt) \
 *     io.accord.core.bench.RestartTime [dir=/tmp/accord-checkpoint-bench] [parents=1000] [children=1000]
 * </pre>
 * (classpath as in {@link CheckpointThroughput}).
 */
public final class RestartTime {
    private RestartTime() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/accord-checkpoint-bench");
        int parents = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int children = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        if (!Files.exists(dir)) {
            CheckpointBench bench = new CheckpointBench(parents, children);
            try (XodusCheckpointStore store = XodusCheckpointStore.open(dir)) {
                long t = System.nanoTime();
                Checkpointer cp = Checkpointer.start(bench.sm, store, Checkpointer.Settings.defaults());
                cp.close();
                System.out.printf("built store of %,d znodes in %.1f s (%,d MB); digest %x; run again to measure%n",
                        store.nodeCount(), (System.nanoTime() - t) / 1e9, store.sizeBytes() >> 20, bench.sm.digest());
            }
            return;
        }
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        XodusCheckpointStore store = XodusCheckpointStore.open(dir);
        long t1 = System.nanoTime();
        StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
        store.load(loader);
        long t2 = System.nanoTime();
        StateMachine sm = loader.finish();
        long t3 = System.nanoTime();
        long cpu = os.getProcessCpuTime() - cpu0;
        System.out.printf("RESTART: open %.2f s + load %.2f s + finish %.2f s = %.2f s wall, %.2f s process CPU, for "
                        + "%,d znodes at position %d (%,.0f znodes/s wall); store %,d MB; heap %,d MB; load average %.1f%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9, cpu / 1e9, sm.nodeCount(),
                sm.appliedPosition(), sm.nodeCount() / ((t3 - t0) / 1e9), store.sizeBytes() >> 20,
                CheckpointBench.heapUsedMb(), os.getSystemLoadAverage());
        long t4 = System.nanoTime();
        System.out.printf("digest %x (%.2f s)%n", sm.digest(), (System.nanoTime() - t4) / 1e9);
        store.close();
    }
}
