package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.GetDataRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Four-letter words over real sockets (PROTOCOL.md 9). */
class FourLetterWordTest {
    private static TestServer all;
    private static TestServer defaults;

    @BeforeAll
    static void start() {
        all = TestServer.start(c -> c.fourLetterWordWhitelist("*"));
        defaults = TestServer.start();
    }

    @AfterAll
    static void stop() {
        all.close();
        defaults.close();
    }

    static String send(int port, String bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out); // until the server closes
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void ruokAndIsro() throws Exception {
        assertEquals("imok", send(all.port(), "ruok"));
        assertEquals("rw", send(all.port(), "isro"));
    }

    @Test
    void defaultWhitelistAllowsOnlySrvr() throws Exception {
        assertEquals("ruok is not executed because it is not in the whitelist.\n", send(defaults.port(), "ruok"));
        assertEquals("mntr is not executed because it is not in the whitelist.\n", send(defaults.port(), "mntr\n"));
        assertTrue(send(defaults.port(), "srvr").startsWith("Zookeeper version: 3.9."));
    }

    @Test
    void srvrHasZooKeepersLinesInOrder() throws Exception {
        String[] lines = send(all.port(), "srvr").split("\n");
        assertTrue(lines[0].startsWith("Zookeeper version: 3.9.6-"), lines[0]);
        assertTrue(lines[1].matches("Latency min/avg/max: \\d+/\\d+\\.\\d+/\\d+"), lines[1]);
        assertTrue(lines[2].matches("Received: \\d+"), lines[2]);
        assertTrue(lines[3].matches("Sent: \\d+"), lines[3]);
        assertTrue(lines[4].matches("Connections: \\d+"), lines[4]);
        assertTrue(lines[5].matches("Outstanding: \\d+"), lines[5]);
        assertTrue(lines[6].matches("Zxid: 0x[0-9a-f]+"), lines[6]);
        assertEquals("Mode: standalone", lines[7]);
        assertTrue(lines[8].matches("Node count: \\d+"), lines[8]);
        assertEquals(9, lines.length);
    }

    @Test
    void statAndConsListConnections() throws Exception {
        try (RawClient client = new RawClient(all.port())) {
            client.connect(RawClient.newSession(true));
            client.send(RawClient.request(7, 3, new ExistsRequest("/", false)));
            client.readFrame();
            String stat = send(all.port(), "stat");
            assertTrue(stat.startsWith("Zookeeper version: 3.9.6-accord, built on 2026-01-01 00:00 UTC\nClients:\n"), stat);
            assertTrue(stat.contains("\n /127.0.0.1:" + client.socket.getLocalPort() + "[1](queued=0,recved=2,sent=2)\n"),
                    stat);
            assertTrue(stat.contains("\nMode: standalone\n"), stat);
            String cons = send(all.port(), "cons");
            String line = cons.lines().filter(l -> l.contains(":" + client.socket.getLocalPort() + "[")).findFirst()
                    .orElseThrow();
            assertTrue(line.matches(" /127\\.0\\.0\\.1:\\d+\\[1\\]\\(queued=0,recved=2,sent=2,sid=0x[0-9a-f]+,lop=EXIS,"
                    + "est=\\d+,to=30000,lcxid=0x7,lzxid=0x[0-9a-f]+,lresp=\\d+,llat=\\d+,minlat=\\d+,avglat=\\d+,"
                    + "maxlat=\\d+\\)"), line);
            assertTrue(cons.endsWith("\n\n"));
            assertEquals("Connection stats reset.\n", send(all.port(), "crst"));
            assertTrue(send(all.port(), "cons").contains("(queued=0,recved=0,sent=0,"));
        }
    }

    @Test
    void mntrIsTabSeparated() throws Exception {
        String mntr = send(all.port(), "mntr");
        String[] lines = mntr.split("\n");
        assertTrue(lines[0].startsWith("zk_version\t3.9.6-"), lines[0]);
        assertEquals("zk_server_state\tstandalone", lines[1]);
        for (String line : lines) {
            assertTrue(line.matches("zk_[a-z0-9_]+\t.+"), line);
        }
        assertTrue(mntr.contains("zk_znode_count\t"));
        assertTrue(mntr.contains("zk_num_alive_connections\t"));
    }

    @Test
    void enviConfDirsAndResets() throws Exception {
        String envi = send(all.port(), "envi");
        assertTrue(envi.startsWith("Environment:\nzookeeper.version=3.9.6-"), envi);
        assertTrue(envi.contains("\njava.version="));
        String conf = send(all.port(), "conf");
        assertTrue(conf.startsWith("clientPort=" + all.port() + "\nsecureClientPort=-1\n"), conf);
        assertTrue(conf.contains("tickTime=2000\nmaxClientCnxns=60\nminSessionTimeout=4000\nmaxSessionTimeout=40000\n"),
                conf);
        assertTrue(conf.contains("serverId=0\n"), "standalone, as ZooKeeper prints it: " + conf);
        assertEquals("datadir_size: 0\nlogdir_size: 0\n", send(all.port(), "dirs"));
        assertEquals("Server stats reset.\n", send(all.port(), "srst"));
        assertEquals("306", send(all.port(), "gtmk"));
    }

    @Test
    void watchReportsShowDataWatches() throws Exception {
        try (RawClient client = new RawClient(all.port())) {
            long sid = client.connect(RawClient.newSession(true)).sessionId();
            client.send(RawClient.request(1, 3, new ExistsRequest("/4lw-watched", true)),
                    RawClient.request(2, 4, new GetDataRequest("/zookeeper", true)));
            client.readFrame();
            client.readFrame();
            String wchs = send(all.port(), "wchs");
            assertTrue(wchs.matches("\\d+ connections watching \\d+ paths\nTotal watches:\\d+\n"), wchs);
            String wchc = send(all.port(), "wchc");
            assertTrue(wchc.contains("0x" + Long.toHexString(sid) + "\n"), wchc);
            assertTrue(wchc.contains("\t/4lw-watched\n"), wchc);
            String wchp = send(all.port(), "wchp");
            assertTrue(wchp.contains("/4lw-watched\n\t0x" + Long.toHexString(sid) + "\n"), wchp);
            client.send(RawClient.request(3, 1, new io.accord.zk.proto.CreateRequest("/4lw-eph", null,
                    io.accord.core.acl.Acl.OPEN_ACL_UNSAFE, 1)));
            client.readFrame();
            String dump = send(all.port(), "dump");
            assertTrue(dump.startsWith("SessionTracker dump:\nSession Sets ("), dump);
            assertTrue(dump.contains(" expire at "), dump);
            assertTrue(dump.contains("\t0x" + Long.toHexString(sid) + "\n"), dump);
            assertTrue(dump.contains("ephemeral nodes dump:\nSessions with Ephemerals (1):\n0x" + Long.toHexString(sid)
                    + ":\n\t/4lw-eph\n"), dump);
            assertTrue(dump.contains("Connections dump:\n"), dump);
        }
    }

    @Test
    void nodeThatStoppedServingSaysSoAndRefusesSessions() throws Exception {
        try (TestServer stopped = TestServer.start(c -> c.fourLetterWordWhitelist("*"))) {
            stopped.port.close();
            assertEquals("This ZooKeeper instance is not currently serving requests\n", send(stopped.port(), "srvr"));
            assertEquals("This ZooKeeper instance is not currently serving requests\n", send(stopped.port(), "mntr"));
            assertEquals("imok", send(stopped.port(), "ruok"));
            assertEquals("null", send(stopped.port(), "isro"));
            try (RawClient client = new RawClient(stopped.port())) {
                client.send(RawClient.frame(RawClient.newSession(true)));
                assertEquals(null, client.readPayload());
            }
        }
    }

    @Test
    void unknownWordIsClosedWithoutOutput() throws Exception {
        assertEquals("", send(all.port(), "xyzw"));
    }

    @Test
    void knownWordAfterTheHandshakeIsJustAnOversizedFrame() throws Exception {
        try (RawClient client = new RawClient(all.port())) {
            client.connect(RawClient.newSession(true));
            client.send("ruok".getBytes(StandardCharsets.US_ASCII));
            assertTrue(client.closedByServer());
        }
    }
}
