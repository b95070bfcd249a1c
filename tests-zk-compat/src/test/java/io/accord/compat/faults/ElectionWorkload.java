package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Leader election with ephemeral-sequential znodes (the lowest is the leader; the others watch their predecessor).
 * A leader writes its term in a multi fenced by a check of its own election znode, then sometimes resigns (deletes
 * it and joins again) so leadership moves. Checked in zxid order: the fenced writes' election znodes never go back
 * to a lower sequence number (once a later candidate led, no earlier one does again: one leader at a time), and
 * each acknowledged write is a distinct version of the term znode (none applied twice).
 */
final class ElectionWorkload extends Workload {
    ElectionWorkload(FaultCluster cluster, String root, long seed) {
        super("election", cluster, root, seed);
    }

    private String term() {
        return root + "/term";
    }

    private String candidates() {
        return root + "/c";
    }

    @Override
    void setup(ZooKeeper zk) throws Exception {
        createIfMissing(zk, root, "");
        createIfMissing(zk, candidates(), "");
        createIfMissing(zk, term(), "");
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        String[] ours = {null};
        long[] oursSession = {0};
        loop(member, zk -> {
            if (zk.getSessionId() != oursSession[0]) {
                ours[0] = null; // a new session: the old one's znode goes with it
            }
            try {
                if (ours[0] == null) {
                    ours[0] = join(zk, p);
                    oursSession[0] = zk.getSessionId();
                }
                if (ours[0] != null) {
                    ours[0] = campaign(zk, p, ours[0], random);
                }
            } catch (KeeperException e) {
                pause(random, 20, 100); // connection trouble: look again
            }
        });
    }

    /** One look at the candidates: lead if ours is the lowest, else wait for the predecessor. Returns ours or null. */
    private String campaign(ZooKeeper zk, int p, String ours, Random random) throws Exception {
        List<String> children = new ArrayList<>(zk.getChildren(candidates(), false));
        Collections.sort(children);
        int at = children.indexOf(ours);
        if (at < 0) {
            return null; // our znode is gone (our session ended): join again
        }
        if (at == 0) {
            lead(zk, p, ours, random);
            if (random.nextInt(3) == 0) {
                zk.delete(candidates() + "/" + ours, -1);
                return null;
            }
        } else {
            CountDownLatch gone = new CountDownLatch(1);
            if (zk.exists(candidates() + "/" + children.get(at - 1), e -> gone.countDown()) != null) {
                gone.await(500, TimeUnit.MILLISECONDS);
            }
        }
        return ours;
    }

    /** Creates this session's candidate znode; after a lost reply, adopts the one the create may have made. */
    private String join(ZooKeeper zk, int p) throws Exception {
        try {
            String path = zk.create(candidates() + "/n-", bytes("p" + p), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL_SEQUENTIAL);
            return path.substring(candidates().length() + 1);
        } catch (KeeperException.ConnectionLossException e) {
            List<String> mine = new ArrayList<>();
            for (String child : zk.getChildren(candidates(), false)) {
                Stat stat = zk.exists(candidates() + "/" + child, false);
                if (stat != null && stat.getEphemeralOwner() == zk.getSessionId()) {
                    mine.add(child);
                }
            }
            Collections.sort(mine);
            for (int i = 1; i < mine.size(); i++) {
                zk.delete(candidates() + "/" + mine.get(i), -1);
            }
            return mine.isEmpty() ? null : mine.get(0);
        }
    }

    private void lead(ZooKeeper zk, int p, String ours, Random random) throws Exception {
        int writes = 1 + random.nextInt(4);
        for (int i = 0; i < writes && !stopping(); i++) {
            History.Op op = history.invoke(p, "lead", term(), ours);
            try {
                List<OpResult> results = zk.multi(List.of(Op.check(candidates() + "/" + ours, -1),
                        Op.setData(term(), bytes(ours), -1)));
                Stat stat = ((OpResult.SetDataResult) results.get(1)).getStat();
                op.ok(ours, stat.getVersion(), stat.getMzxid());
            } catch (KeeperException e) {
                failOrUnknown(op, e);
                throw e;
            }
            pause(random, 5, 20);
        }
    }

    @Override
    List<String> check(ZooKeeper zk) throws Exception {
        List<String> problems = new ArrayList<>();
        List<History.Op> acked = new ArrayList<>(history.ops(op -> op.f.equals("lead") && op.ok()));
        acked.sort(Comparator.comparingLong(op -> op.zxid));
        for (int i = 1; i < acked.size(); i++) {
            History.Op a = acked.get(i - 1);
            History.Op b = acked.get(i);
            if (a.resultVersion >= b.resultVersion || a.zxid == b.zxid) {
                problems.add("election: term writes not distinct and ordered: " + a + " then " + b);
            }
            if (a.result.compareTo(b.result) > 0) {
                problems.add("election: TWO LEADERS: " + b.result + " led after " + a.result
                        + " (a lower candidate, still present) had led:\n  " + a + "\n  " + b);
            }
        }
        zk.sync(term());
        Stat stat = new Stat();
        zk.getData(term(), false, stat);
        long unknown = history.ops(op -> op.f.equals("lead") && op.unknown()).size();
        if (stat.getVersion() < acked.size() || stat.getVersion() > acked.size() + unknown) {
            problems.add("election: term version " + stat.getVersion() + " outside [" + acked.size() + ", "
                    + (acked.size() + unknown) + "]");
        }
        return problems;
    }
}
