package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accord's AdminServer next to ZooKeeper 3.9.5's own (Jetty) AdminServer in this JVM, both under the same load from
 * the real client, over real HTTP: every command's JSON must have the real one's field names, nesting and value
 * types (values differ), and the texts without variable values must be byte for byte the same.
 */
class AdminServerTest {
    /** The commands Accord implements, and the aliases of each (PROTOCOL.md 9.3). */
    static final Map<String, List<String>> COMMANDS = Map.ofEntries(
            Map.entry("configuration", List.of("conf", "config")),
            Map.entry("connection_stat_reset", List.of("crst")),
            Map.entry("connections", List.of("cons")),
            Map.entry("dirs", List.of()),
            Map.entry("dump", List.of()),
            Map.entry("environment", List.of("env", "envi")),
            Map.entry("get_trace_mask", List.of("gtmk")),
            Map.entry("hash", List.of()),
            Map.entry("is_read_only", List.of("isro")),
            Map.entry("monitor", List.of("mntr")),
            Map.entry("observer_connection_stat_reset", List.of("orst")),
            Map.entry("observers", List.of("obsr")),
            Map.entry("ruok", List.of()),
            Map.entry("server_stats", List.of("srvr")),
            Map.entry("set_trace_mask", List.of("stmk")),
            Map.entry("stat_reset", List.of("srst")),
            Map.entry("stats", List.of("stat")),
            Map.entry("system_properties", List.of("sysp")),
            Map.entry("watch_summary", List.of("wchs")),
            Map.entry("watches", List.of("wchc")),
            Map.entry("watches_by_path", List.of("wchp")));

    /**
     * Real commands Accord does not answer (documented gap; they answer "Unknown command"): the ensemble views
     * leader, voting_view and zabstate and the startup text initial_configuration (they need the cluster layer's
     * membership, which zk-compat does not see yet), and snapshot/restore/last_snapshot (Accord's snapshots belong
     * to the cluster layer).
     */
    static final Set<String> NOT_IMPLEMENTED = Set.of("initial_configuration", "last_snapshot", "leader", "restore",
            "snapshot", "voting_view", "zabstate");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static RealZooKeeper real;
    private static TestServer accord;
    private static ZooKeeper realClient;
    private static ZooKeeper accordClient;

    @BeforeAll
    static void start() throws Exception {
        real = new RealZooKeeper();
        accord = TestServer.start();
        realClient = Clients.connect(real.connectString(), 30_000, new Clients.Recorder());
        accordClient = Clients.connect(accord.connectString(), 30_000, new Clients.Recorder());
        load(realClient);
        load(accordClient);
    }

    @AfterAll
    static void stop() throws Exception {
        realClient.close();
        accordClient.close();
        accord.close();
        real.close();
    }

    private static void load(ZooKeeper zk) throws Exception {
        zk.create("/adm", new byte[4], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/adm/eph", new byte[1], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.exists("/adm", true);
        zk.getData("/adm/eph", false, null);
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> realGet(String path) throws Exception {
        return get(real.adminPort, path);
    }

    private static HttpResponse<String> accordGet(String path) throws Exception {
        return get(accord.server.adminAddress().getPort(), path);
    }

    /**
     * The shape of a JSON value: objects as their field names (in order) with the shapes of their values, arrays
     * as the set of their elements' shapes, scalars as their JSON type (integer and floating numbers apart). An
     * object whose field names are all numbers (ids, times) is a map: only its values' shapes count.
     */
    static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            boolean numericKeys = node.size() > 0;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                numericKeys &= it.next().matches("-?\\d+");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(numericKeys ? "<number>" : e.getKey(), shape(e.getValue()));
            }
            return fields;
        }
        if (node.isArray()) {
            Set<String> elements = new TreeSet<>();
            node.forEach(element -> elements.add(String.valueOf(shape(element))));
            return "array of " + elements;
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isFloatingPointNumber()) {
            return "float";
        }
        return node.getNodeType().toString().toLowerCase();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        return MAPPER.readTree(response.body());
    }

    @Test
    void commandsHaveTheRealFieldsNestingAndTypes() throws Exception {
        for (String command : List.of("ruok", "server_stats", "stats", "configuration", "connections",
                "environment", "watch_summary", "dump", "is_read_only", "dirs", "get_trace_mask", "hash",
                "observers", "system_properties", "watches", "watches_by_path")) {
            HttpResponse<String> realResponse = realGet("/commands/" + command);
            HttpResponse<String> accordResponse = accordGet("/commands/" + command);
            assertEquals(realResponse.statusCode(), accordResponse.statusCode(), command);
            assertEquals(shape(json(realResponse)), shape(json(accordResponse)),
                    command + "\nreal: " + realResponse.body() + "\nAccord: " + accordResponse.body());
        }
    }

    @Test
    void answersWithoutVariableValuesAreByteForByteZooKeepers() throws Exception {
        for (String command : List.of("ruok", "is_read_only", "connection_stat_reset", "nope", "hash", "observers",
                "observer_connection_stat_reset", "set_trace_mask", "set_trace_mask?traceMask=x",
                "set_trace_mask?traceMask=306")) {
            HttpResponse<String> realResponse = realGet("/commands/" + command);
            HttpResponse<String> accordResponse = accordGet("/commands/" + command);
            assertEquals(realResponse.statusCode(), accordResponse.statusCode(), command);
            assertEquals(realResponse.body(), accordResponse.body(), command);
        }
        assertEquals("{\n  \"command\" : \"ruok\",\n  \"error\" : null\n}", accordGet("/commands/ruok").body());
        JsonNode unknown = MAPPER.readTree(accordGet("/commands/nope").body());
        assertEquals("Unknown command: nope", unknown.get("error").asText());
    }

    @Test
    void monitorHasTheRealKeysInTheirOrderAndTypes() throws Exception {
        JsonNode realMonitor = json(realGet("/commands/monitor"));
        JsonNode accordMonitor = json(accordGet("/commands/mntr"));
        List<String> realKeys = new ArrayList<>();
        realMonitor.fieldNames().forEachRemaining(realKeys::add);
        List<String> accordKeys = new ArrayList<>();
        accordMonitor.fieldNames().forEachRemaining(accordKeys::add);
        List<String> realOrder = new ArrayList<>(realKeys);
        realOrder.retainAll(accordKeys);
        assertEquals(realOrder, accordKeys);
        for (String key : accordKeys) {
            assertEquals(shape(realMonitor.get(key)), shape(accordMonitor.get(key)), key);
        }
        assertEquals(realMonitor.get("znode_count").asLong(), accordMonitor.get("znode_count").asLong());
        assertEquals("standalone", accordMonitor.get("server_state").asText());
    }

    @Test
    void aliasesNameTheSameCommandAsZooKeepers() throws Exception {
        for (Map.Entry<String, List<String>> e : COMMANDS.entrySet()) {
            for (String name : e.getValue()) {
                String realCommand = MAPPER.readTree(realGet("/commands/" + name).body()).get("command").asText();
                String accordCommand = MAPPER.readTree(accordGet("/commands/" + name).body()).get("command").asText();
                assertEquals(e.getKey(), realCommand, name);
                assertEquals(realCommand, accordCommand, name);
            }
        }
    }

    @Test
    void indexListsEveryImplementedCommandAsZooKeeperDoes() throws Exception {
        HttpResponse<String> realIndex = realGet("/commands");
        HttpResponse<String> accordIndex = accordGet("/commands");
        assertEquals(200, accordIndex.statusCode());
        List<String> realLines = List.of(realIndex.body().split("\n"));
        List<String> accordLines = List.of(accordIndex.body().split("\n"));
        StringBuilder expected = new StringBuilder();
        Set<String> realNames = new TreeSet<>();
        for (String line : realLines) {
            if (line.startsWith("<a href=\"/commands/")) {
                String name = line.substring("<a href=\"/commands/".length(), line.indexOf('"', 20));
                realNames.add(name);
                if (!NOT_IMPLEMENTED.contains(name)) {
                    expected.append(line).append('\n').append("<br/>\n");
                }
            }
        }
        assertEquals(expected.toString(), accordIndex.body());
        Set<String> implemented = new TreeSet<>(realNames);
        implemented.removeAll(NOT_IMPLEMENTED);
        assertEquals(new TreeSet<>(COMMANDS.keySet()), implemented);
        assertTrue(accordLines.size() > 20, accordIndex.body());
    }

    @Test
    void aNodeThatIsNotServingAnswersAsAStoppedZooKeeperDoes() throws Exception {
        try (RealZooKeeper stoppedReal = new RealZooKeeper(); TestServer stoppedAccord = TestServer.start()) {
            stoppedReal.server.shutdown();
            stoppedAccord.port.close();
            int accordPort = stoppedAccord.server.adminAddress().getPort();
            for (String command : COMMANDS.keySet()) {
                HttpResponse<String> realResponse = get(stoppedReal.adminPort, "/commands/" + command);
                HttpResponse<String> accordResponse = get(accordPort, "/commands/" + command);
                assertEquals(realResponse.statusCode(), accordResponse.statusCode(), command);
                JsonNode realJson = MAPPER.readTree(realResponse.body());
                JsonNode accordJson = MAPPER.readTree(accordResponse.body());
                assertEquals(realJson.get("error").isNull(), accordJson.get("error").isNull(), command);
                if (realJson.get("error").asText().contains("not currently serving")) {
                    assertEquals(realResponse.body(), accordResponse.body(), command);
                }
            }
        }
    }

    @Test
    void watchListingsShowTheClientsWatch() throws Exception {
        long sid = accordClient.getSessionId();
        JsonNode watches = json(accordGet("/commands/wchc"));
        assertEquals("/adm", watches.get("session_id_to_watched_paths").get(Long.toString(sid)).get(0).asText());
        JsonNode byPath = json(accordGet("/commands/wchp"));
        assertEquals(sid, byPath.get("path_to_session_ids").get("/adm").get(0).asLong());
    }

    @Test
    void systemPropertiesHideSecrets() throws Exception {
        System.setProperty("accord.test.ssl.keyStore.password", "hunter2");
        try {
            JsonNode props = json(accordGet("/commands/sysp"));
            assertEquals("******", props.get("accord.test.ssl.keyStore.password").asText());
            assertEquals(System.getProperty("java.version"), props.get("java.version").asText());
        } finally {
            System.clearProperty("accord.test.ssl.keyStore.password");
        }
    }

    @Test
    void connectionsAndDumpShowTheClient() throws Exception {
        long sid = accordClient.getSessionId();
        accordClient.getData("/adm", false, null);
        JsonNode cons = json(accordGet("/commands/connections"));
        boolean found = false;
        for (JsonNode c : cons.get("connections")) {
            if (c.has("session_id") && c.get("session_id").asLong() == sid) {
                found = true;
                // a ping may have come in since the read
                assertTrue(Set.of("GETD", "PING").contains(c.get("last_operation").asText()), c.toString());
                assertTrue(c.get("packets_received").asLong() >= 1, c.toString());
            }
        }
        assertTrue(found, cons.toString());
        JsonNode dump = json(accordGet("/commands/dump"));
        assertEquals("/adm/eph", dump.get("session_id_to_ephemeral_paths").get(Long.toString(sid)).get(0).asText());
        JsonNode wchs = json(accordGet("/commands/wchs"));
        assertEquals(1, wchs.get("num_total_watches").asInt());
    }

    @Test
    void keepAliveServesPipelinedRequestsAndConnectionCloseCloses() throws Exception {
        int port = accord.server.adminAddress().getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /commands/ruok HTTP/1.1\r\nHost: localhost\r\n\r\n";
            String last = "GET /commands/isro HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write((request + request + last).getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // until closed
            assertEquals(3, all.split("HTTP/1.1 200 OK\r\n", -1).length - 1, all);
            assertEquals(2, all.split("\"command\" : \"ruok\"", -1).length - 1, all);
            assertTrue(all.endsWith("\"command\" : \"is_read_only\",\n  \"error\" : null\n}"), all);
        }
    }

    @Test
    void anIdleAdminConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer server = TestServer.start(c -> c.adminIdleTimeoutMs(300))) {
            try (Socket socket = new Socket("127.0.0.1", server.server.adminAddress().getPort())) {
                socket.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertEquals(-1, socket.getInputStream().read());
                assertTrue(System.nanoTime() - start >= 250_000_000L, "closed before the idle timeout");
            }
        }
    }

    @Test
    void otherPathsAre404AndOnlyGetIsAllowed() throws Exception {
        assertEquals(404, accordGet("/other").statusCode());
        assertEquals(404, accordGet("/commands/ruok/extra").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + accord.server.adminAddress().getPort() + "/commands/ruok"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + accord.server.adminAddress().getPort() + "/commands/ruok"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }
}
