package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTest {
    /** srvr as ZooKeeper 3.9 prints it. */
    private static final String SRVR = "Zookeeper version: 3.9.5-accord, built on 2026-01-01\n"
            + "Latency min/avg/max: 0/1.25/17\nReceived: 120\nSent: 119\nConnections: 3\nOutstanding: 0\n"
            + "Zxid: 0x100000042\nMode: leader\nNode count: 12\n";

    @Test
    void connectStringsSplitIntoHostPortWithZooKeepersDefaultPortAndNoChroot() {
        assertEquals(List.of("127.0.0.1:2181", "a:2182", "b:2181", "[::1]:2183"),
                Status.servers("127.0.0.1:2181, a:2182,b,[::1]:2183/app/chroot"));
        assertThrows(IllegalArgumentException.class, () -> Status.servers("a:99999"));
        assertThrows(IllegalArgumentException.class, () -> Status.servers("a:x"));
        assertThrows(IllegalArgumentException.class, () -> Status.servers(" , /chroot"));
    }

    @Test
    void srvrAndMntrAreParsedIntoKeysAndValues() {
        Map<String, String> s = Status.parseSrvr(SRVR);
        assertEquals("leader", s.get("Mode"));
        assertEquals("0x100000042", s.get("Zxid"));
        assertEquals("0/1.25/17", s.get("Latency min/avg/max"));
        assertEquals("12", s.get("Node count"));
        Map<String, String> m = Status.parseMntr("zk_version\t3.9.5\nzk_watch_count\t7\nzk_ephemerals_count\t2\n");
        assertEquals("7", m.get("zk_watch_count"));
        assertEquals("2", m.get("zk_ephemerals_count"));
    }

    @Test
    void tableHasAlignedColumnsOneRowPerServerAndSaysWhatIsMissing() {
        String follower = SRVR.replace("Mode: leader", "Mode: follower").replace("Connections: 3", "Connections: 10");
        String table = Status.format(List.of(
                new Status.Row("127.0.0.1:2181", null, Status.parseSrvr(SRVR),
                        Status.parseMntr("zk_watch_count\t7\nzk_ephemerals_count\t2\n"), false),
                new Status.Row("127.0.0.1:2182", null, Status.parseSrvr(follower), Map.of(), true),
                Status.Row.unreachable("127.0.0.1:2183", "unreachable (Connection refused)")));
        String[] lines = table.split("\n");
        assertEquals("server          mode      zxid         connections  outstanding  nodes  latency min/avg/max"
                + "  watches  ephemerals", lines[0]);
        assertEquals("127.0.0.1:2181  leader    0x100000042  3            0            12     0/1.25/17"
                + "            7        2", lines[1]);
        assertEquals("127.0.0.1:2182  follower  0x100000042  10           0            12     0/1.25/17"
                + "            -        -", lines[2]);
        assertEquals("127.0.0.1:2183  unreachable (Connection refused)", lines[3]);
        assertEquals("note: 127.0.0.1:2182 does not allow mntr (add it to 4lw.commands.whitelist); watches and "
                + "ephemerals not shown", lines[4]);
        assertEquals("2 of 3 servers answered", lines[5]);
        assertEquals(6, lines.length);
    }

    @Test
    void aServerThatIsNotListeningIsShownUnreachableAndTheExitCodeIsOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Status.run(new String[] {"127.0.0.1:" + port}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.contains("127.0.0.1:" + port + "  unreachable"), text);
        assertTrue(text.contains("0 of 1 servers answered"), text);
    }

    @Test
    void aBadConnectStringIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Status.run(new String[] {"host:notaport"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'host:notaport'"));
    }
}
