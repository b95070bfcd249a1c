package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import io.accord.compat.support.RawZooKeeper;

/**
 * Four-letter words on the client port (every word allowed). Each of the fifteen words is sent to the target and
 * to a second, real ZooKeeper 3.9.5 (a separate instance, also when the target is one) after the same scenario on
 * both, and the outputs are compared after normalizing what legitimately differs (numbers, ports, paths, dates,
 * the version, session ids, the order of unordered lists). Quorum-only lines (PROTOCOL.md 9.2) are set aside for an
 * ensemble target, which is compared with the standalone reference.
 */
class FourLetterWordTest extends TargetTestBase {

    private static final List<String> WORDS = List.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "crst", "srst",
        "envi", "dump", "wchs", "wchc", "wchp", "isro", "dirs");

    /** mntr keys only a quorum member prints. */
    private static final Set<String> QUORUM_MNTR_KEYS = Set.of("zk_learners", "zk_followers", "zk_synced_followers",
        "zk_synced_non_voting_followers", "zk_synced_observers", "zk_pending_syncs", "zk_last_proposal_size",
        "zk_min_proposal_size", "zk_max_proposal_size", "zk_leader_uptime", "zk_quorum_size", "zk_peer_state");

    /** conf keys only a quorum member prints (it then ends with {@code membership:} and the server lines). */
    private static final Set<String> QUORUM_CONF_KEYS = Set.of("initLimit", "syncLimit", "electionAlg",
        "electionPort", "quorumPort", "peerType");

    /** The gauges monitoring tools read from mntr (PROTOCOL.md 9.2): both must print them. */
    private static final List<String> CORE_MNTR_KEYS = List.of("zk_avg_latency", "zk_max_latency", "zk_min_latency",
        "zk_packets_received", "zk_packets_sent", "zk_num_alive_connections", "zk_outstanding_requests", "zk_uptime",
        "zk_znode_count", "zk_watch_count", "zk_ephemerals_count", "zk_approximate_data_size", "zk_global_sessions",
        "zk_local_sessions", "zk_open_file_descriptor_count", "zk_max_file_descriptor_count",
        "zk_connection_drop_probability", "zk_last_client_response_size", "zk_min_client_response_size",
        "zk_max_client_response_size", "zk_outstanding_tls_handshake", "zk_auth_failed_count",
        "zk_non_mtls_remote_conn_count", "zk_non_mtls_local_conn_count");

    private static final Pattern DATE = Pattern.compile("\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:(\\d{2}) \\w+ \\d{4}");
    private static final Pattern BUCKET = Pattern.compile("(\\d+) expire at (" + DATE.pattern() + "):");

    /** The real ZooKeeper every output of this suite invocation is compared with. */
    private ServerTarget reference;

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void startReference() throws Exception {
        reference = Targets.REFERENCE.start(config());
    }

    @AfterParameterizedClassInvocation
    void stopReference() {
        if (reference != null) {
            reference.close();
        }
    }

    /** What one server answered after the scenario, with the ids of the scenario's two sessions. */
    private record Side(ServerTarget server, long first, long second) {
    }

    /**
     * The same scenario on the target and the reference: two sessions, one ephemeral, data watches from both
     * sessions on {@link #root}, an exists watch on the ephemeral and a child watch on {@link #root}.
     */
    private List<Side> scenario() throws Exception {
        List<Side> sides = new ArrayList<>();
        for (ServerTarget server : List.of(target, reference)) {
            RawZooKeeper zk = clients.connect(server.connectString());
            zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            zk.getData(root, true, null);
            zk.exists(root + "/e", true);
            zk.getChildren(root, true);
            RawZooKeeper other = clients.connect(server.connectString());
            other.getData(root, true, null);
            sides.add(new Side(server, zk.getSessionId(), other.getSessionId()));
        }
        return sides;
    }

    private static String send(ServerTarget server, String word) throws IOException {
        String hostPort = server.connectString().split(",")[0];
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

    /** Sends {@code word} to the target and the reference: [target's output, reference's output]. */
    private List<String> both(String word) throws IOException {
        return List.of(send(target, word), send(reference, word));
    }

    /**
     * Replaces what differs between two correct servers: the scenario's session ids by S1/S2 (other ids by SID),
     * this test's root by ROOT, client addresses, the version, dates, and then every other number.
     */
    private String normalize(String text, Side side) {
        String out = text.replace("0x" + Long.toHexString(side.first()), "0xS1")
            .replace("0x" + Long.toHexString(side.second()), "0xS2")
            .replaceAll("0x[0-9a-f]{12,16}\\b", "0xSID")
            .replace(root, "/ROOT")
            .replaceAll("/127\\.0\\.0\\.1:\\d+", "/ADDR")
            .replaceAll("3\\.9\\.\\d+-[^,\\s]*, built on [^\\n]*", "VERSION");
        out = DATE.matcher(out).replaceAll("DATE");
        return out.replaceAll("0x[0-9a-f]+\\b", "0xN").replaceAll("-?\\d+(\\.\\d+)?(E-?\\d+)?", "N");
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    @Test
    void ruokIsroCrstAndSrstPrintTheSameFixedText() throws Exception {
        for (String word : List.of("ruok", "isro", "crst", "srst")) {
            List<String> out = both(word);
            assertEquals(out.get(1), out.get(0), word);
        }
        assertEquals(List.of("imok", "rw", "Connection stats reset.\n", "Server stats reset.\n"),
            List.of(send(target, "ruok"), send(target, "isro"), send(target, "crst"), send(target, "srst")));
    }

    @Test
    void srvrAndStatHaveTheReferencesLines() throws Exception {
        List<Side> sides = scenario();
        for (String word : List.of("srvr", "stat")) {
            List<String> out = both(word);
            assertEquals(statShape(out.get(1), sides.get(1)), statShape(out.get(0), sides.get(0)), word + ":\n" + out.get(0));
        }
    }

    /**
     * srvr/stat normalized, the {@code Clients:} block (stat) as a set of distinct lines, the mode as MODE and
     * a leader's {@code Proposal sizes} line dropped for an ensemble.
     */
    private List<String> statShape(String text, Side side) {
        List<String> shape = new ArrayList<>();
        Set<String> clientLines = new TreeSet<>();
        boolean inClients = false;
        for (String line : lines(normalize(text, side))) {
            if (line.equals("Clients:")) {
                inClients = true;
                shape.add(line);
            } else if (inClients && !line.isEmpty()) {
                clientLines.add(line);
            } else {
                if (inClients) {
                    shape.add("clients " + clientLines);
                    inClients = false;
                }
                if (target.ensemble() && line.startsWith("Proposal sizes last/min/max: ")) {
                    continue;
                }
                shape.add(line.replaceFirst("^Mode: (standalone|leader|follower)$", "Mode: MODE"));
            }
        }
        return shape;
    }

    @Test
    void mntrHasTheReferencesKeysAndTheSameCounts() throws Exception {
        List<Side> sides = scenario();
        List<String> out = both("mntr");
        Map<String, String> mine = mntr(out.get(0));
        Map<String, String> real = mntr(out.get(1));
        List<String> firstKeys = List.copyOf(mine.keySet()).subList(0, 2);
        assertEquals(List.copyOf(real.keySet()).subList(0, 2), firstKeys);
        assertTrue(mine.get("zk_server_state").matches(target.ensemble() ? "leader|follower" : "standalone"));
        for (String key : mine.keySet()) {
            if (key.equals("zk_server_state")) {
                continue;
            }
            assertTrue(real.containsKey(key) || target.ensemble() && QUORUM_MNTR_KEYS.contains(key),
                "a key the real ZooKeeper does not print: " + key);
            assertEquals(real.containsKey(key) ? normalize(real.get(key), sides.get(1)) : "N",
                normalize(mine.get(key), sides.get(0)), "the form of " + key + "'s value");
        }
        for (String key : CORE_MNTR_KEYS) {
            assertTrue(real.containsKey(key), "reference: " + key);
            assertTrue(mine.containsKey(key), key);
        }
        for (String key : List.of("zk_znode_count", "zk_ephemerals_count", "zk_watch_count", "zk_global_sessions")) {
            assertEquals(real.get(key), mine.get(key), key);
        }
    }

    private static Map<String, String> mntr(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.split("\t");
            assertEquals(2, kv.length, "key<TAB>value: '" + line + "'");
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    @Test
    void confAndEnviHaveTheReferencesKeysInItsOrder() throws Exception {
        List<Side> sides = List.of(new Side(target, 0, 0), new Side(reference, 0, 0));
        for (String word : List.of("conf", "envi")) {
            List<String> out = both(word);
            assertEquals(keyValueShape(out.get(1), sides.get(1)), keyValueShape(out.get(0), sides.get(0)), word + ":\n" + out.get(0));
        }
        String conf = send(target, "conf");
        String hostPort = target.connectString().split(",")[0];
        assertTrue(conf.contains("clientPort=" + hostPort.substring(hostPort.lastIndexOf(':') + 1) + "\n"), conf);
        assertTrue(conf.contains("minSessionTimeout=" + config().minSessionTimeoutMs() + "\n"), conf);
        assertTrue(conf.contains("maxSessionTimeout=" + config().maxSessionTimeoutMs() + "\n"), conf);
        assertTrue(conf.contains("tickTime=" + config().tickTimeMs() + "\n"), conf);
        assertTrue(conf.contains(target.ensemble() ? "\nserverId=1\n" : "\nserverId=0\n"), "member 1, or standalone: " + conf);
        assertTrue(send(target, "envi").matches("(?s).*\nzookeeper\\.version=3\\.9\\.\\d+.*"),
            "kazoo parses the version from here");
    }

    /** {@code key=value} lines as {@code key=<normalized value>}, paths as PATH, quorum-only lines dropped. */
    private List<String> keyValueShape(String text, Side side) {
        List<String> shape = new ArrayList<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (target.ensemble() && (QUORUM_CONF_KEYS.contains(key) || key.startsWith("server.") || key.equals("version")
                || line.equals("membership: "))) {
                continue;
            }
            String value = eq < 0 ? "" : line.substring(eq + 1);
            shape.add(eq < 0 ? line : key + "=" + (value.startsWith("/") ? "PATH" : normalize(value, side).isEmpty() ? "" : "V"));
        }
        return shape;
    }

    @Test
    void consListsEachConnectionInTheSameForm() throws Exception {
        List<Side> sides = scenario();
        List<String> out = both("cons");
        assertEquals(linesAsSet(out.get(1), sides.get(1)), linesAsSet(out.get(0), sides.get(0)), out.get(0));
        assertTrue(out.get(0).endsWith("\n\n"), "an empty line at the end");
        // lresp is on ZooKeeper's elapsed-time clock (System.nanoTime in ms; the servers run in this JVM), est on
        // the wall clock
        for (String text : out) {
            Matcher m = Pattern.compile(",est=(\\d+),.*,lresp=(\\d+),").matcher(text);
            assertTrue(m.find(), text);
            assertTrue(Math.abs(Long.parseLong(m.group(1)) - System.currentTimeMillis()) < 600_000, "est: " + text);
            assertTrue(Math.abs(Long.parseLong(m.group(2)) - System.nanoTime() / 1_000_000) < 600_000, "lresp: " + text);
        }
    }

    @Test
    void crstResetsWhatConsShowsAsTheReferenceDoes() throws Exception {
        List<Side> sides = scenario();
        List<String> out = both("crst");
        assertEquals(out.get(1), out.get(0));
        // the reset values (lop=NA, lcxid/lzxid all ones) are not numbers to normalize: keep them
        List<String> cons = both("cons");
        assertEquals(consAfterReset(cons.get(1), sides.get(1)), consAfterReset(cons.get(0), sides.get(0)), cons.get(0));
    }

    private List<String> consAfterReset(String text, Side side) {
        List<String> out = new ArrayList<>();
        for (String line : lines(text)) {
            if (line.contains("sid=0x" + Long.toHexString(side.first())) || line.contains("sid=0x" + Long.toHexString(side.second()))) {
                out.add(line.replaceAll("/127\\.0\\.0\\.1:\\d+", "/ADDR").replaceAll("sid=0x[0-9a-f]+", "sid=SID")
                    .replaceAll("est=\\d+", "est=N").replaceAll("to=\\d+", "to=N"));
            }
        }
        assertEquals(2, out.size(), "the scenario's two sessions: " + text);
        out.sort(null);
        return out;
    }

    @Test
    void srstResetsTheServerCountersAsTheReferenceDoes() throws Exception {
        scenario();
        List<String> out = both("srst");
        assertEquals(out.get(1), out.get(0));
        Map<String, String> mine = srvrValues(send(target, "srvr"));
        Map<String, String> real = srvrValues(send(reference, "srvr"));
        assertEquals(real.get("Latency min/avg/max"), mine.get("Latency min/avg/max"), "no request since the reset");
        assertEquals(real.get("Outstanding"), mine.get("Outstanding"));
    }

    /**
     * After {@code srst}, three getData replies of a 2000-byte value on one connection: the response sizes mntr
     * reports (last, min, max) and the latency summaries' counts are the reference's. The reference goes first:
     * two real servers in one JVM share ZooKeeper's static metrics, and the other order shows its reset of them.
     */
    @Test
    void responseSizesAndLatencyCountsAfterSrstAreTheReferences() throws Exception {
        List<Map<String, String>> after = new ArrayList<>();
        for (ServerTarget server : List.of(reference, target)) {
            RawZooKeeper zk = clients.connect(server.connectString().split(",")[0]);
            zk.create(root, new byte[2000], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertEquals("Server stats reset.\n", send(server, "srst"));
            for (int i = 0; i < 3; i++) {
                assertEquals(2000, zk.getData(root, false, null).length);
            }
            after.add(mntr(send(server, "mntr")));
        }
        for (String key : List.of("zk_last_client_response_size", "zk_min_client_response_size",
            "zk_max_client_response_size", "zk_cnt_readlatency", "zk_cnt_updatelatency")) {
            assertEquals(after.get(0).get(key), after.get(1).get(key), key);
        }
    }

    private static Map<String, String> srvrValues(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines(text)) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return out;
    }

    /** The normalized lines as a set, without those of sessions from earlier tests that may still be closing. */
    private Set<String> linesAsSet(String text, Side side) {
        Set<String> out = new TreeSet<>(lines(normalize(text, side)));
        out.removeIf(line -> line.contains("0xSID"));
        return out;
    }

    @Test
    void watchWordsListTheSameWatches() throws Exception {
        List<Side> sides = scenario();
        List<String> wchs = both("wchs");
        assertEquals(wchs.get(1), wchs.get(0), "same scenario, same counts (data watches only in 3.9)");
        assertEquals("2 connections watching 2 paths\nTotal watches:3\n", wchs.get(0));
        for (String word : List.of("wchc", "wchp")) {
            List<String> out = both(word);
            Map<String, Set<String>> mine = groups(normalize(out.get(0), sides.get(0)));
            assertEquals(groups(normalize(out.get(1), sides.get(1))), mine, word + ":\n" + out.get(0));
            assertTrue(out.get(0).endsWith("\n\n"), word + " ends with an empty line");
        }
    }

    /** {@code header\n\tentry\n...} blocks as header → entries (their order is a hash order in ZooKeeper). */
    private static Map<String, Set<String>> groups(String text) {
        Map<String, Set<String>> out = new TreeMap<>();
        Set<String> current = null;
        for (String line : lines(text)) {
            if (line.startsWith("\t")) {
                assertTrue(current != null, "an entry before any header: " + text);
                current.add(line.substring(1));
            } else if (!line.isEmpty()) {
                current = out.computeIfAbsent(line, k -> new TreeSet<>());
            }
        }
        return out;
    }

    @Test
    void dumpHasTheSameSectionsSessionsAndEphemerals() throws Exception {
        List<Side> sides = scenario();
        List<String> out = both("dump");
        assertEquals(dumpShape(out.get(1), sides.get(1), "reference"), dumpShape(out.get(0), sides.get(0), target.name()),
            out.get(0));
    }

    /**
     * dump's sections in order; within the session and connection sections, the expiry buckets are checked
     * (each a distinct multiple of tickTime for sessions and of 10 s for connections, as ZooKeeper's expiry queues
     * round) and their entries kept as a set; the ephemerals section is kept as is.
     */
    private List<String> dumpShape(String text, Side side, String who) {
        List<String> shape = new ArrayList<>();
        Set<String> entries = new TreeSet<>();
        Set<String> buckets = new TreeSet<>();
        int intervalSeconds = 0;
        for (String line : lines(text)) {
            Matcher bucket = BUCKET.matcher(line);
            if (bucket.matches()) {
                if (Integer.parseInt(bucket.group(1)) > 0) {
                    assertTrue(buckets.add(bucket.group(2)), who + ": two buckets expire at " + bucket.group(2));
                    assertEquals(0, Integer.parseInt(bucket.group(3)) % intervalSeconds,
                        who + ": a bucket not rounded to " + intervalSeconds + " s: " + line);
                }
            } else if (line.startsWith("\t") && intervalSeconds > 0) {
                String entry = normalize(line, side);
                if (!entry.contains("0xSID")) { // a session of an earlier test, maybe still closing
                    entries.add(entry);
                }
            } else {
                if (!entries.isEmpty()) {
                    shape.add("entries " + entries);
                    entries = new TreeSet<>();
                }
                if (line.startsWith("Session Sets (")) {
                    intervalSeconds = config().tickTimeMs() / 1000;
                    buckets.clear();
                } else if (line.startsWith("Connections Sets (")) {
                    intervalSeconds = 10;
                    buckets.clear();
                } else if (line.equals("ephemeral nodes dump:")) {
                    intervalSeconds = 0;
                }
                shape.add(normalize(line, side));
            }
        }
        return shape;
    }

    @Test
    void dirsHasBothSizes() throws Exception {
        List<Side> sides = List.of(new Side(target, 0, 0), new Side(reference, 0, 0));
        List<String> out = both("dirs");
        assertEquals(normalize(out.get(1), sides.get(1)), normalize(out.get(0), sides.get(0)));
        assertEquals("datadir_size: N\nlogdir_size: N\n", normalize(out.get(0), sides.get(0)));
    }

    @Test
    void everyWordIsCoveredAndAnUnknownOneClosesWithoutOutput() throws Exception {
        assertEquals(15, WORDS.size());
        for (String word : WORDS) {
            assertTrue(!send(target, word).isEmpty(), word + " answers");
        }
        List<String> out = both("xyzw");
        assertEquals("", out.get(1));
        assertEquals("", out.get(0));
    }
}
