package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many pipelined requests on one connection, with replies far larger than a socket buffer: every reply arrives whole
 * and in order, and each one is measured on its own as the client response size.
 */
@Timeout(60)
class PipelinedRepliesTest {
    private static final int VALUE = 2000;
    private static final int REQUESTS = 400; // about 820 KiB of replies
    /** A getData reply: header (xid, zxid, err), the data with its length, and the 68-byte stat. */
    private static final int REPLY_SIZE = 16 + 4 + VALUE + 68;

    @Test
    void pipelinedRepliesArriveWholeAndInOrderAndEachIsMeasured() throws Exception {
        try (TestServer server = TestServer.start(c -> c.fourLetterWordWhitelist("*"))) {
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                for (int i = 0; i < 4; i++) {
                    byte[] value = new byte[VALUE];
                    Arrays.fill(value, (byte) i);
                    zk.create("/big" + i, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                assertEquals("Server stats reset.\n", FourLetterWordTest.send(server.port(), "srst"));
                List<String> order = Collections.synchronizedList(new ArrayList<>());
                List<String> wrong = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch done = new CountDownLatch(REQUESTS);
                for (int i = 0; i < REQUESTS; i++) {
                    String path = "/big" + (i % 4);
                    byte fill = (byte) (i % 4);
                    zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                        order.add((String) ctx);
                        byte[] expected = new byte[VALUE];
                        Arrays.fill(expected, fill);
                        if (rc != 0 || !Arrays.equals(expected, data) || stat.getDataLength() != VALUE) {
                            wrong.add(ctx + ": rc " + rc);
                        }
                        done.countDown();
                    }, Integer.toString(i));
                }
                assertTrue(done.await(30, TimeUnit.SECONDS), "replies missing: " + done.getCount());
                assertEquals(List.of(), wrong);
                for (int i = 0; i < REQUESTS; i++) {
                    assertEquals(Integer.toString(i), order.get(i), "reply order");
                }
                assertEquals(VALUE, zk.getData("/big3", false, null).length); // and one more, synchronously
                Map<String, String> mntr = FourLetterWordFormatTest.keyValues(
                        FourLetterWordTest.send(server.port(), "mntr"), "\t");
                assertEquals(Integer.toString(REPLY_SIZE), mntr.get("zk_last_client_response_size"));
                assertEquals(Integer.toString(REPLY_SIZE), mntr.get("zk_max_client_response_size"));
                assertEquals(Integer.toString(REPLY_SIZE), mntr.get("zk_min_client_response_size"));
                assertTrue(Long.parseLong(mntr.get("zk_packets_sent")) >= REQUESTS + 1, mntr.toString());
            } finally {
                zk.close();
            }
        }
    }

    /**
     * Replies of two sizes, pipelined, so that drains carry both: the smallest, the largest and the last response
     * size are those of single frames, whatever the batches were.
     */
    @Test
    void responseSizesAreThoseOfSingleFramesInMixedBatches() throws Exception {
        try (TestServer server = TestServer.start(c -> c.fourLetterWordWhitelist("*"))) {
            ZooKeeper zk = Clients.connect(server, new Clients.Recorder());
            try {
                zk.create("/big", new byte[VALUE], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/small", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertEquals("Server stats reset.\n", FourLetterWordTest.send(server.port(), "srst"));
                CountDownLatch done = new CountDownLatch(REQUESTS);
                for (int i = 0; i < REQUESTS; i++) {
                    zk.getData(i % 2 == 0 ? "/big" : "/small", false, (rc, p, ctx, data, stat) -> done.countDown(),
                            null);
                }
                assertTrue(done.await(30, TimeUnit.SECONDS), "replies missing: " + done.getCount());
                Map<String, String> mntr = FourLetterWordFormatTest.keyValues(
                        FourLetterWordTest.send(server.port(), "mntr"), "\t");
                int small = REPLY_SIZE - VALUE + 3;
                assertEquals(Integer.toString(small), mntr.get("zk_last_client_response_size"));
                assertEquals(Integer.toString(small), mntr.get("zk_min_client_response_size"));
                assertEquals(Integer.toString(REPLY_SIZE), mntr.get("zk_max_client_response_size"));
                assertTrue(Long.parseLong(mntr.get("zk_packets_sent")) >= REQUESTS, mntr.toString());
            } finally {
                zk.close();
            }
        }
    }
}
