package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.RawZooKeeper;

/**
 * Four-letter words on the client port (every word allowed): the parts of the output that monitoring
 * tools and clients parse (Solr, kazoo).
 */
class FourLetterWordTest extends TargetTestBase {

    private String send(String word) throws IOException {
        String hostPort = target.connectString().split(",")[0];
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out); // the server closes the connection after answering
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void ruokAndIsroAnswerWithoutANewline() throws Exception {
        assertEquals("imok", send("ruok"));
        assertEquals("rw", send("isro"));
    }

    /** A standalone server says so; a quorum member is the leader or a follower. */
    private String expectedModes() {
        return target.ensemble() ? "(leader|follower)" : "standalone";
    }

    @Test
    void srvrReportsModeZxidAndNodeCount() throws Exception {
        RawZooKeeper zk = clients.connect(target.connectString());
        zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String srvr = send("srvr");
        assertTrue(srvr.startsWith("Zookeeper version: "), srvr);
        assertTrue(srvr.matches("(?s).*\nMode: " + expectedModes() + "\n.*"), srvr);
        assertTrue(srvr.matches("(?s).*\nZxid: 0x[0-9a-f]+\n.*"), srvr);
        assertTrue(srvr.matches("(?s).*\nNode count: \\d+\n.*"), srvr);
    }

    @Test
    void mntrIsTabSeparatedAndStartsWithVersionAndState() throws Exception {
        String[] lines = send("mntr").split("\n");
        assertTrue(lines[0].startsWith("zk_version\t"), lines[0]);
        assertTrue(lines[1].matches("zk_server_state\t" + expectedModes()), lines[1]);
        for (String line : lines) {
            assertEquals(2, line.split("\t").length, "key<TAB>value: '" + line + "'");
        }
    }

    @Test
    void enviReportsTheZookeeperVersionLine() throws Exception {
        String envi = send("envi");
        assertTrue(envi.startsWith("Environment:\n"), envi);
        assertTrue(envi.matches("(?s).*\nzookeeper\\.version=3\\.9\\.\\d+.*"), "kazoo parses the version from here: " + envi);
    }

    @Test
    void confListsTheClientPortAndSessionBounds() throws Exception {
        String conf = send("conf");
        String hostPort = target.connectString().split(",")[0];
        String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        assertTrue(conf.contains("clientPort=" + port + "\n"), conf);
        assertTrue(conf.contains("minSessionTimeout=" + config().minSessionTimeoutMs() + "\n"), conf);
        assertTrue(conf.contains("maxSessionTimeout=" + config().maxSessionTimeoutMs() + "\n"), conf);
        assertTrue(conf.contains("tickTime=" + config().tickTimeMs() + "\n"), conf);
    }

    @Test
    void unknownWordClosesTheConnectionWithoutOutput() throws Exception {
        assertEquals("", send("xyzw"));
    }
}
