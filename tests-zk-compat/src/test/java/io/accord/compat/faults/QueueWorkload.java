package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A create-sequential queue: producers create PERSISTENT_SEQUENTIAL children with a unique payload, consumers read
 * one of the lowest children and delete it. Checked against the final children: no acknowledged enqueue lost (it is
 * still there, or a delete of it was acknowledged or may have applied), none applied twice (a payload under two
 * names), a sequential name never reused (one name, one payload), a name deleted by at most one acknowledged delete,
 * and sequence numbers increasing in zxid order.
 */
final class QueueWorkload extends Workload {
    QueueWorkload(FaultCluster cluster, String root, long seed) {
        super("queue", cluster, root, seed);
    }

    @Override
    void setup(ZooKeeper zk) throws Exception {
        createIfMissing(zk, root, "");
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        int[] n = {0};
        loop(member, zk -> {
            if (p % 2 == 0) {
                produce(zk, p, "p" + p + "-" + (++n[0]));
            } else {
                consume(zk, p, random);
            }
            pause(random, 2, 12);
        });
    }

    private void produce(ZooKeeper zk, int p, String payload) throws InterruptedException {
        History.Op op = history.invoke(p, "enqueue", root, payload);
        try {
            Stat stat = new Stat();
            String name = zk.create(root + "/q-", bytes(payload), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL, stat);
            op.ok(name.substring(root.length() + 1), -1, stat.getCzxid());
        } catch (KeeperException e) {
            failOrUnknown(op, e);
        }
    }

    private void consume(ZooKeeper zk, int p, Random random) throws InterruptedException {
        List<String> children;
        String child;
        String payload;
        try {
            children = new ArrayList<>(zk.getChildren(root, false));
            if (children.isEmpty()) {
                return;
            }
            Collections.sort(children);
            child = children.get(random.nextInt(Math.min(3, children.size())));
            payload = string(zk.getData(root + "/" + child, false, null));
        } catch (KeeperException e) {
            return;
        }
        History.Op op = history.invoke(p, "dequeue", child, payload);
        try {
            zk.delete(root + "/" + child, -1);
            op.ok(child, -1, 0);
        } catch (KeeperException e) {
            failOrUnknown(op, e);
        }
    }

    @Override
    List<String> check(ZooKeeper zk) throws Exception {
        List<String> problems = new ArrayList<>();
        zk.sync(root);
        Map<String, String> remaining = new HashMap<>();
        for (String child : zk.getChildren(root, false)) {
            remaining.put(child, string(zk.getData(root + "/" + child, false, null)));
        }
        List<History.Op> ops = history.ops();
        // One name, one payload: from acknowledged creates, consumers' reads and the final state.
        Map<String, String> payloadOfName = new HashMap<>(remaining);
        Map<String, List<String>> namesOfPayload = new HashMap<>();
        remaining.forEach((name, payload) -> namesOfPayload.computeIfAbsent(payload, x -> new ArrayList<>()).add(name));
        Set<String> maybeDeleted = new HashSet<>();
        Map<String, Integer> acknowledgedDeletes = new HashMap<>();
        Set<String> enqueued = new HashSet<>();
        List<History.Op> created = new ArrayList<>();
        for (History.Op op : ops) {
            if (op.f.equals("enqueue")) {
                enqueued.add(op.arg);
                if (op.ok()) {
                    created.add(op);
                    note(problems, payloadOfName, namesOfPayload, op.result, op.arg, op);
                }
            } else if (op.f.equals("dequeue")) {
                note(problems, payloadOfName, namesOfPayload, op.key, op.arg, op);
                if (op.ok() || op.unknown()) {
                    maybeDeleted.add(op.key);
                }
                if (op.ok()) {
                    acknowledgedDeletes.merge(op.key, 1, Integer::sum);
                    if (remaining.containsKey(op.key)) {
                        problems.add("queue: " + op.key + " is still present after an acknowledged delete: " + op);
                    }
                }
            }
        }
        acknowledgedDeletes.forEach((name, count) -> {
            if (count > 1) {
                problems.add("queue: " + name + " deleted " + count + " times with success");
            }
        });
        namesOfPayload.forEach((payload, names) -> {
            if (new HashSet<>(names).size() > 1) {
                problems.add("queue: payload " + payload + " was created under several names " + names
                        + " (an enqueue applied twice)");
            }
            if (!enqueued.contains(payload)) {
                problems.add("queue: payload " + payload + " under " + names + " was never enqueued");
            }
        });
        for (History.Op op : created) {
            if (!remaining.containsKey(op.result) && !maybeDeleted.contains(op.result)) {
                problems.add("queue: acknowledged enqueue LOST (neither present nor deleted): " + op);
            }
        }
        created.sort(Comparator.comparingLong(op -> op.zxid));
        for (int i = 1; i < created.size(); i++) {
            History.Op a = created.get(i - 1);
            History.Op b = created.get(i);
            if (a.zxid == b.zxid || sequence(a.result) >= sequence(b.result)) {
                problems.add("queue: sequence numbers not increasing in zxid order: " + a + " then " + b);
            }
        }
        return problems;
    }

    private static void note(List<String> problems, Map<String, String> payloadOfName,
                             Map<String, List<String>> namesOfPayload, String name, String payload, History.Op op) {
        String before = payloadOfName.putIfAbsent(name, payload);
        if (before != null && !before.equals(payload)) {
            problems.add("queue: sequential name " + name + " REUSED: payload " + before + " and " + payload + " ("
                    + op + ")");
        }
        List<String> names = namesOfPayload.computeIfAbsent(payload, x -> new ArrayList<>());
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    private static long sequence(String name) {
        return Long.parseLong(name.substring(name.length() - 10));
    }
}
