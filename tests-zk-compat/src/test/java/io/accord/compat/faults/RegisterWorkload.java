package io.accord.compat.faults;

import io.accord.compat.faults.RegisterChecker.Outcome;
import io.accord.compat.faults.RegisterChecker.State;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Compare-and-set registers: a few znodes, each written only by setData with the version a preceding getData
 * returned (a cas), and read by sync + getData (which Accord makes linearizable: sync is a marker through the log
 * and the read waits for the local replica to reach it). Every value written is unique. Checked per znode with
 * {@link RegisterChecker}, the final state appended as a last read; and per session, versions seen never go back.
 */
final class RegisterWorkload extends Workload {
    static final String INITIAL = "init";
    private final int keys;
    private final List<String> backwards = Collections.synchronizedList(new ArrayList<>());

    RegisterWorkload(FaultCluster cluster, String root, long seed, int keys) {
        super("register", cluster, root, seed);
        this.keys = keys;
    }

    private String key(int k) {
        return root + "/r" + k;
    }

    /** The registers' znodes. */
    List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            paths.add(key(k));
        }
        return paths;
    }

    @Override
    void setup(ZooKeeper zk) throws Exception {
        createIfMissing(zk, root, "");
        for (int k = 0; k < keys; k++) {
            createIfMissing(zk, key(k), INITIAL);
        }
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        int[] n = {0};
        long[] session = {0};
        Map<String, Integer> seen = new HashMap<>();
        loop(member, zk -> {
            if (zk.getSessionId() != session[0]) {
                session[0] = zk.getSessionId();
                seen.clear();
            }
            String path = key(random.nextInt(keys));
            if (random.nextInt(10) < 4) {
                History.Op op = history.invoke(p, "read", path, null);
                try {
                    zk.sync(path);
                    Stat stat = new Stat();
                    String value = string(zk.getData(path, false, stat));
                    op.ok(value, stat.getVersion(), stat.getMzxid());
                    observe(seen, zk, path, stat.getVersion(), "sync + read");
                } catch (KeeperException e) {
                    failOrUnknown(op, e);
                }
            } else {
                Stat guess = new Stat();
                try {
                    zk.getData(path, false, guess); // a plain (possibly stale) read: its version is the guess
                } catch (KeeperException e) {
                    return;
                }
                observe(seen, zk, path, guess.getVersion(), "read");
                String value = "p" + p + "-" + (++n[0]);
                History.Op op = history.invoke(p, "cas", path, value, guess.getVersion());
                try {
                    Stat stat = zk.setData(path, bytes(value), guess.getVersion());
                    op.ok(value, stat.getVersion(), stat.getMzxid());
                    observe(seen, zk, path, stat.getVersion(), "cas");
                } catch (KeeperException e) {
                    failOrUnknown(op, e);
                }
            }
            pause(random, 1, 8);
        });
    }

    /**
     * One session never sees a znode go back to an older version, whichever member serves it (ZooKeeper's single
     * system image: a client does not reconnect to a member behind what it has seen), and reads its own writes.
     */
    private void observe(Map<String, Integer> seen, ZooKeeper zk, String path, int version, String how) {
        Integer before = seen.put(path, version);
        if (before != null && before > version) {
            backwards.add("register " + path + ": session 0x" + Long.toHexString(zk.getSessionId()) + " saw v" + before
                    + ", then its " + how + " showed v" + version + " (went back in time)");
            seen.put(path, before);
        }
    }

    @Override
    List<String> check(ZooKeeper zk) throws Exception {
        List<String> problems = new ArrayList<>(backwards);
        for (int k = 0; k < keys; k++) {
            String path = key(k);
            History.Op last = history.invoke(-1, "read", path, null);
            zk.sync(path);
            Stat stat = new Stat();
            String value = string(zk.getData(path, false, stat));
            last.ok(value, stat.getVersion(), stat.getMzxid());
            List<RegisterChecker.Op> ops = new ArrayList<>();
            for (History.Op op : history.ops(o -> o.key.equals(path))) {
                if (op.f.equals("read")) {
                    if (op.ok()) {
                        ops.add(RegisterChecker.Op.read(op.id, op.invokeNanos, op.returnNanos, op.result,
                                op.resultVersion));
                    }
                } else {
                    Outcome outcome = op.ok() ? Outcome.OK : op.unknown() ? Outcome.UNKNOWN : Outcome.FAIL;
                    if (op.ok() && op.resultVersion != op.argVersion + 1) {
                        problems.add("register " + path + ": " + op + " applied on v" + op.argVersion
                                + " but reported v" + op.resultVersion);
                    }
                    ops.add(RegisterChecker.Op.cas(op.id, op.invokeNanos, op.returnNanos, op.argVersion, op.arg,
                            outcome));
                }
            }
            RegisterChecker.Result r = RegisterChecker.check(new State(INITIAL, 0), ops, 50_000_000);
            if (r.exhausted()) {
                problems.add("register " + path + ": linearizability search gave up after " + r.steps() + " steps ("
                        + ops.size() + " ops)");
            } else if (!r.linearizable()) {
                problems.add("register " + path + ": NOT linearizable (" + ops.size() + " ops; " + r.deepest()
                        + " linearized at most; cannot place op " + r.stuck().id() + "):\n"
                        + history.excerpt(Set.of(r.stuck().id()), 60));
            }
        }
        return problems;
    }
}
