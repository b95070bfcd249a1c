package io.accord.compat.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * A workload of client processes (threads, each with its own session and its own first member) recording a
 * {@link History}, and the checks of that history against the state the cluster ends in.
 */
abstract class Workload {
    final String name;
    final FaultCluster cluster;
    final String root;
    final History history = new History();
    /** Unexpected errors of the processes (a problem by themselves). */
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong sessionsReplaced = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long seed;
    private volatile boolean stopping;

    Workload(String name, FaultCluster cluster, String root, long seed) {
        this.name = name;
        this.cluster = cluster;
        this.root = root;
        this.seed = seed;
    }

    /** Creates the workload's znodes (through {@code zk}) before any process starts. */
    abstract void setup(ZooKeeper zk) throws Exception;

    /** The loop of process {@code p}, which starts at member {@code member}; returns once {@link #stopping()}. */
    abstract void run(int p, int member, Random random) throws Exception;

    /**
     * The violations of this workload's history given the final state, which {@code zk} reads (connected to one
     * member, after the cluster settled and a sync).
     */
    abstract List<String> check(ZooKeeper zk) throws Exception;

    /** What was checked, for the report: operation counts by outcome and the workload's own figures. */
    String summary() {
        long ok = 0;
        long fail = 0;
        long unknown = 0;
        for (History.Op op : history.ops()) {
            if (op.ok()) {
                ok++;
            } else if (op.unknown()) {
                unknown++;
            } else {
                fail++;
            }
        }
        return String.format("%-9s %6d ops: %6d ok, %5d fail, %4d unknown; %d sessions replaced", name,
                ok + fail + unknown, ok, fail, unknown, sessionsReplaced.get());
    }

    void start(int processes) {
        for (int p = 0; p < processes; p++) {
            int process = p;
            int member = 1 + p % FaultCluster.MEMBERS;
            Random random = new Random(seed * 31 + name.hashCode() * 17L + p);
            Thread t = new Thread(() -> {
                try {
                    run(process, member, random);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception | AssertionError e) {
                    errors.add(name + " p" + process + ": " + e);
                }
            }, "fault-" + name + "-p" + p);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                errors.add(t.getName() + " did not stop within 60 s: " + stack(t));
                t.interrupt();
            }
        }
    }

    boolean stopping() {
        return stopping;
    }

    /** One step of a process's loop, given a live session. */
    interface Step {
        void once(ZooKeeper zk) throws Exception;
    }

    /**
     * Runs {@code step} until {@link #stopping()} with a session that starts at {@code member} and is replaced when it
     * expires; closes the session at the end.
     */
    void loop(int member, Step step) throws Exception {
        ZooKeeper zk = null;
        try {
            while (!stopping()) {
                zk = session(zk, member);
                if (zk != null) {
                    step.once(zk);
                }
            }
        } finally {
            FaultClients.closeQuietly(zk);
        }
    }

    /** A live session for a process: {@code zk} if it is usable, else a new one (null while none can be had). */
    ZooKeeper session(ZooKeeper zk, int member) throws Exception {
        if (zk != null && zk.getState().isAlive()) {
            return zk;
        }
        if (zk != null) {
            FaultClients.closeQuietly(zk);
            sessionsReplaced.incrementAndGet();
        }
        return FaultClients.zk(cluster, member, null);
    }

    /**
     * Completes {@code op} for a KeeperException: the codes that say the request was refused are failures; a
     * connection loss, timeout or expiry leaves the outcome unknown.
     */
    static void failOrUnknown(History.Op op, KeeperException e) {
        switch (e.code()) {
            case BADVERSION, NONODE, NODEEXISTS, NOTEMPTY, NOCHILDRENFOREPHEMERALS, BADARGUMENTS ->
                    op.fail(e.code().name());
            default -> op.info(e.code().name());
        }
    }

    static void createIfMissing(ZooKeeper zk, String path, String data) throws Exception {
        try {
            zk.create(path, bytes(data), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // created before
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static void pause(Random random, int minMs, int maxMs) throws InterruptedException {
        Thread.sleep(minMs + random.nextInt(maxMs - minMs + 1)); // think time between a process's operations
    }

    private static String stack(Thread t) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n    at ").append(e);
        }
        return b.toString();
    }
}
