package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * Per-session FIFO: each process pipelines batches of asynchronous setData and getData on its own znode and records
 * the order its callbacks run in and what they report. Checked per batch: callbacks in submission order, the
 * versions of successful writes strictly increasing in submission order, and every successful read showing at
 * least the version of the last successful write submitted before it (a read waits for the session's earlier
 * writes) and below the version of the next successful write; while nothing in the batch failed, a read right after
 * a write shows exactly that write (only this session writes the znode; a request left over from a lost connection
 * must not apply in between).
 */
final class FifoWorkload extends Workload {
    private static final int BATCH = 16;

    /**
     * One reply: the request's place in its batch, write or read, the version it reported (-1: it failed), the data
     * it wrote or read.
     */
    private record Reply(int index, boolean write, int version, int code, String data) {
    }

    private final List<String> batchProblems = Collections.synchronizedList(new ArrayList<>());

    FifoWorkload(FaultCluster cluster, String root, long seed) {
        super("fifo", cluster, root, seed);
    }

    @Override
    void setup(ZooKeeper zk) throws Exception {
        createIfMissing(zk, root, "");
        for (int p = 0; p < FaultCluster.MEMBERS; p++) {
            createIfMissing(zk, root + "/p" + p, "");
        }
    }

    @Override
    void run(int p, int member, Random random) throws Exception {
        String path = root + "/p" + p;
        int[] batchNo = {0};
        loop(member, zk -> batch(zk, p, path, ++batchNo[0], random));
    }

    private void batch(ZooKeeper zk, int p, String path, int batchNo, Random random) throws InterruptedException {
        List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(BATCH);
        History.Op op = history.invoke(p, "batch", path, Integer.toString(batchNo));
        for (int i = 0; i < BATCH; i++) {
            int index = i;
            if (random.nextBoolean()) {
                String data = batchNo + ":" + i;
                zk.setData(path, bytes(data), -1, (rc, x, ctx, stat) -> {
                    replies.add(new Reply(index, true, rc == 0 ? stat.getVersion() : -1, rc, data));
                    done.countDown();
                }, null);
            } else {
                zk.getData(path, false, (rc, x, ctx, data, stat) -> {
                    replies.add(new Reply(index, false, rc == 0 ? stat.getVersion() : -1, rc, string(data)));
                    done.countDown();
                }, null);
            }
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            op.info("callbacks missing after 30 s: " + replies.size() + " of " + BATCH);
            batchProblems.add("fifo " + path + " batch " + batchNo + ": only " + replies.size() + " of " + BATCH
                    + " callbacks within 30 s");
            return;
        }
        String problem = checkBatch(replies);
        if (problem != null) {
            batchProblems.add("fifo " + path + " batch " + batchNo + ": " + problem + " in " + replies);
        }
        Reply failed = replies.stream().filter(r -> r.code() != 0).findFirst().orElse(null);
        if (failed == null) {
            op.ok("ordered", -1, 0);
        } else {
            op.info(KeeperException.Code.get(failed.code()).name());
        }
        pause(random, 5, 20);
    }

    private static String checkBatch(List<Reply> replies) {
        int lastWrite = -1;
        Reply lastWriteReply = null;
        boolean allOk = true;
        for (int i = 0; i < replies.size(); i++) {
            Reply r = replies.get(i);
            if (r.index() != i) {
                return "reply " + i + " answered request " + r.index();
            }
            if (r.code() != 0) {
                allOk = false;
                continue;
            }
            if (!r.write() && allOk && lastWriteReply != null && (r.version() != lastWriteReply.version()
                    || !r.data().equals(lastWriteReply.data()))) {
                // Only this session writes the znode: with no failure before, a read shows the last write exactly.
                return "read " + i + " saw " + r.data() + "@v" + r.version() + " after the session's write "
                        + lastWriteReply.data() + "@v" + lastWriteReply.version();
            }
            if (r.write()) {
                if (allOk && lastWriteReply != null && r.version() != lastWrite + 1) {
                    return "write " + i + " got version " + r.version() + " right after the session's write got "
                            + lastWrite + " (another write applied in between)";
                }
                lastWriteReply = r;
                if (r.version() <= lastWrite) {
                    return "write " + i + " got version " + r.version() + " after an earlier write got " + lastWrite;
                }
                lastWrite = r.version();
            } else if (r.version() < lastWrite) {
                return "read " + i + " saw version " + r.version() + " before the session's earlier write "
                        + lastWrite;
            }
        }
        for (int i = 0; i < replies.size(); i++) {
            Reply r = replies.get(i);
            if (!r.write() && r.code() == 0) {
                for (int j = i + 1; j < replies.size(); j++) {
                    Reply w = replies.get(j);
                    if (w.write() && w.code() == 0 && w.version() <= r.version()) {
                        return "read " + i + " saw version " + r.version() + " of a later write " + j;
                    }
                }
            }
        }
        return null;
    }

    @Override
    List<String> check(ZooKeeper zk) {
        return new ArrayList<>(batchProblems);
    }
}
