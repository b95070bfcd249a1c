package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A counter incremented under a Curator InterProcessMutex: the holder reads the counter and writes value + 1 without
 * a version, in a multi fenced by a check of its own lock znode (so a holder whose session expired cannot write).
 * If two holders ever overlapped, an increment would be lost: two acknowledged increments would write the same
 * value, or a reply's version (which counts applied increments) would differ from its value. Checked: the
 * acknowledged values are distinct and increase in zxid order, each equals its version, and the final counter lies
 * between the acknowledged and the acknowledged + unknown increments.
 */
final class MutexCounterWorkload extends Workload {
    MutexCounterWorkload(FaultCluster cluster, String root, long seed) {
        super("mutex", cluster, root, seed);
    }

    private String counter() {
        return root + "/counter";
    }

    @Override
    void setup(ZooKeeper zk) throws Exception {
        createIfMissing(zk, root, "");
        createIfMissing(zk, counter(), "0");
    }

    /** A lock driver that remembers the lock znode it created (Curator does not expose it). */
    private static final class Remembering extends StandardLockInternalsDriver {
        volatile String ourPath;

        @Override
        public String createsTheLock(CuratorFramework client, String path, byte[] lockNodeBytes) throws Exception {
            String created = super.createsTheLock(client, path, lockNodeBytes);
            ourPath = created;
            return created;
        }
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        try (CuratorFramework client = FaultClients.curator(cluster, member)) {
            Remembering driver = new Remembering();
            InterProcessMutex mutex = new InterProcessMutex(client, root + "/lock", driver);
            while (!stopping()) {
                boolean held;
                try {
                    held = mutex.acquire(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    pause(random, 50, 200); // no connection now; Curator reconnects
                    continue;
                }
                if (!held) {
                    continue;
                }
                try {
                    increment(p, client, driver.ourPath);
                } finally {
                    try {
                        mutex.release();
                    } catch (Exception e) {
                        // the lock znode goes with the session anyway
                    }
                }
                pause(random, 1, 10);
            }
        }
    }

    private void increment(int p, CuratorFramework client, String lockPath) throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        int value;
        try {
            value = Integer.parseInt(string(zk.getData(counter(), false, null)));
        } catch (KeeperException e) {
            return;
        }
        // Not Curator's retrying API: a retried write could apply twice.
        History.Op op = history.invoke(p, "incr", counter(), Integer.toString(value + 1));
        try {
            List<OpResult> results = zk.multi(List.of(Op.check(lockPath, -1),
                    Op.setData(counter(), bytes(Integer.toString(value + 1)), -1)));
            Stat stat = ((OpResult.SetDataResult) results.get(1)).getStat();
            op.ok(Integer.toString(value + 1), stat.getVersion(), stat.getMzxid());
        } catch (KeeperException e) {
            failOrUnknown(op, e);
        }
    }

    @Override
    List<String> check(ZooKeeper zk) throws Exception {
        List<String> problems = new ArrayList<>();
        zk.sync(counter());
        Stat stat = new Stat();
        int last = Integer.parseInt(string(zk.getData(counter(), false, stat)));
        if (last != stat.getVersion()) {
            problems.add("mutex: final counter " + last + " but " + stat.getVersion() + " writes applied");
        }
        List<History.Op> acked = new ArrayList<>(history.ops(op -> op.f.equals("incr") && op.ok()));
        long unknown = history.ops(op -> op.f.equals("incr") && op.unknown()).size();
        Map<String, History.Op> byValue = new HashMap<>();
        for (History.Op op : acked) {
            History.Op other = byValue.put(op.result, op);
            if (other != null) {
                problems.add("mutex: two holders wrote " + op.result + " (overlapping lock holders, an increment "
                        + "lost): " + other + " and " + op);
            }
            if (op.resultVersion != Integer.parseInt(op.result)) {
                problems.add("mutex: " + op + " wrote " + op.result + " as write number " + op.resultVersion);
            }
            if (Integer.parseInt(op.result) > last) {
                problems.add("mutex: acknowledged increment to " + op.result + " LOST: final counter " + last);
            }
        }
        acked.sort(Comparator.comparingLong(op -> op.zxid));
        for (int i = 1; i < acked.size(); i++) {
            if (Integer.parseInt(acked.get(i - 1).result) >= Integer.parseInt(acked.get(i).result)) {
                problems.add("mutex: values not increasing in zxid order: " + acked.get(i - 1) + " then "
                        + acked.get(i));
            }
        }
        if (last < acked.size() || last > acked.size() + unknown) {
            problems.add("mutex: final counter " + last + " outside [" + acked.size() + ", " + (acked.size() + unknown)
                    + "] (acknowledged, + unknown increments)");
        }
        return problems;
    }
}
