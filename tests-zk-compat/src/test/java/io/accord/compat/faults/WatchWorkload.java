package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Watches on znodes another workload writes: a process arms a data watch (getData with a watcher, version v), then
 * polls the znode with asynchronous getData until the watch fires. The client runs watch events and callbacks on
 * one thread in the order their packets arrived, so a poll callback that shows a version above v before the event
 * ran means the server answered with the new state before notifying the watcher (ZooKeeper's guarantee that a
 * client sees the event first) or, across a reconnect, that the re-registered watch (setWatches with the last
 * zxid) missed a change made while the client was away.
 */
final class WatchWorkload extends Workload {
    private final List<String> paths;
    private final List<String> missed = Collections.synchronizedList(new ArrayList<>());

    WatchWorkload(FaultCluster cluster, String root, long seed, List<String> paths) {
        super("watch", cluster, root, seed);
        this.paths = paths;
    }

    @Override
    void setup(ZooKeeper zk) {
        // watches znodes that the writing workload creates
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        loop(member, zk -> watchOnce(zk, p, random));
    }

    private void watchOnce(ZooKeeper zk, int p, Random random) throws InterruptedException {
        String path = paths.get(random.nextInt(paths.size()));
        AtomicBoolean fired = new AtomicBoolean();
        Stat stat = new Stat();
        History.Op op = history.invoke(p, "watch", path, null);
        try {
            zk.getData(path, e -> {
                if (e.getType() == EventType.NodeDataChanged || e.getType() == EventType.NodeDeleted) {
                    fired.set(true);
                }
            }, stat);
        } catch (KeeperException e) {
            failOrUnknown(op, e);
            return;
        }
        int armed = stat.getVersion();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!fired.get() && !stopping() && System.nanoTime() < deadline && zk.getState().isAlive()) {
            CountDownLatch answered = new CountDownLatch(1);
            zk.getData(path, false, (rc, x, ctx, data, polled) -> {
                if (rc == 0 && polled.getVersion() > armed && !fired.get()) {
                    missed.add("watch " + path + " p" + p + " session 0x" + Long.toHexString(zk.getSessionId())
                            + ": armed at v" + armed + ", a later read showed v" + polled.getVersion()
                            + " (mzxid 0x" + Long.toHexString(polled.getMzxid()) + ") before the watch event");
                }
                answered.countDown();
            }, null);
            answered.await(10, TimeUnit.SECONDS);
            pause(random, 2, 10);
        }
        op.ok(fired.get() ? "fired" : "not fired", armed, 0);
    }

    @Override
    String summary() {
        return super.summary() + "; " + history.ops(op -> "fired".equals(op.result)).size() + " watches fired";
    }

    @Override
    List<String> check(ZooKeeper zk) {
        return new ArrayList<>(missed);
    }
}
