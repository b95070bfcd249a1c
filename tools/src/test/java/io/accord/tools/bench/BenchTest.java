package io.accord.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import io.accord.tools.Accord;
import io.accord.zk.server.ZkServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code accord bench} briefly, over real sockets, against an in-process Accord node (ZkServer over a
 * LocalReplicator) and an in-process real ZooKeeper 3.9.5, and checks with ZooKeeper's own client that the znodes
 * are left as the workload implies.
 */
class BenchTest {
    private static ZkServer accord;
    private static File zkDir;
    private static ZooKeeperServer zk;
    private static ServerCnxnFactory zkFactory;

    @BeforeAll
    static void startServers() throws Exception {
        LocalReplicator port = LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, 1000);
        accord = ZkServer.launch(new ZkServer.Context().replicationPort(port).bindAddress("127.0.0.1").port(0)
                .tickTimeMs(2000).adminEnableServer(false).jmxEnabled(false).closePortOnClose(true));
        System.setProperty("zookeeper.forceSync", "no");
        System.setProperty("zookeeper.admin.enableServer", "false");
        zkDir = Files.createTempDirectory("bench-zk").toFile();
        zk = new ZooKeeperServer(zkDir, zkDir, 2000);
        zkFactory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 0);
        zkFactory.startup(zk);
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (accord != null) {
            accord.close();
        }
        if (zkFactory != null) {
            zkFactory.shutdown();
        }
        if (zk != null) {
            zk.shutdown();
        }
        if (zkDir != null) {
            try (Stream<java.nio.file.Path> files = Files.walk(zkDir.toPath())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String connect(String target) {
        return "127.0.0.1:" + (target.equals("accord") ? accord.port() : zkFactory.getLocalPort());
    }

    static Stream<Arguments> targetsAndWorkloads() {
        return Stream.of("accord", "zookeeper").flatMap(t -> Stream.of(Workload.values()).map(w -> Arguments.of(t, w)));
    }

    @ParameterizedTest(name = "{1} against {0}")
    @MethodSource("targetsAndWorkloads")
    void workloadLeavesTheZnodesItImplies(String target, Workload workload) throws Exception {
        String root = "/bench-" + workload.label();
        BenchOptions options = BenchOptions.parse(new String[] {"--connect", connect(target), "--workload",
            workload.label(), "--clients", "4", "--window", "32", "--duration", "1", "--warmup", "0.3",
            "--value-size", "12", "--read-pct", "50", "--root", root, "--keep", "--quiet"});
        BenchResult result = Bench.execute(options, System.out);

        assertTrue(result.ops() > 0, result::resultLine);
        assertEquals(Map.of(), result.errors(), result::resultLine);
        try (ZooKeeper client = client(connect(target))) {
            for (int i = 0; i < options.clients(); i++) {
                String path = result.sessionPaths().get(i);
                assertEquals(root + "/s" + i, path);
                Stat stat = client.exists(path, false);
                assertNotNull(stat, path);
                long writes = result.sessionWrites().get(i);
                switch (workload) {
                    case SET, MULTI -> {
                        assertTrue(writes > 0, path);
                        assertEquals(writes, stat.getVersion(), path + ": version = successful writes");
                        assertEquals(12, stat.getDataLength(), path);
                    }
                    case MIXED -> {
                        assertTrue(writes > 0, path);
                        assertEquals(writes, stat.getVersion(), path + ": version = successful writes");
                    }
                    case GET -> {
                        assertEquals(0, writes, path);
                        assertEquals(0, stat.getVersion(), path);
                    }
                    case CREATE -> {
                        assertEquals(List.of(), client.getChildren(path, false), path + ": every child deleted");
                        assertTrue(stat.getCversion() > 0, path + ": children were created");
                        assertEquals(0, stat.getCversion() % 2, path + ": one delete per create");
                    }
                    default -> throw new AssertionError(workload);
                }
            }
            ZKUtil.deleteRecursive(client, root);
        }
    }

    /**
     * {@code --watch}: every session's getData leaves a data watch, and each setData that follows one must bring one
     * NodeDataChanged event before its own reply (the bench fails the session otherwise), on Accord as on ZooKeeper.
     */
    @ParameterizedTest(name = "against {0}")
    @ValueSource(strings = {"accord", "zookeeper"})
    void watchedReadsGetOneEventPerChangeBeforeTheChangesReply(String target) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--connect", connect(target), "--workload", "mixed",
            "--clients", "4", "--window", "16", "--duration", "1", "--warmup", "0.3", "--read-pct", "50", "--watch",
            "--root", "/bench-watch", "--quiet"});
        BenchResult result = Bench.execute(options, System.out);
        assertEquals(Map.of(), result.errors(), result::resultLine);
        assertTrue(result.watchEventsExpected() > 0, result::resultLine);
        assertEquals(result.watchEventsExpected(), result.watchEvents(), result::resultLine);
        assertTrue(result.resultLine().endsWith(" watch_events=" + result.watchEvents() + " watch_events_expected="
                + result.watchEventsExpected()), result::resultLine);
    }

    /**
     * {@code --rate}: 500 requests/s over 4 sessions for 2 s is reached within 10%, each request once (the znodes'
     * versions count them), without a backlog, and the RESULT line says so.
     */
    @ParameterizedTest(name = "against {0}")
    @ValueSource(strings = {"accord", "zookeeper"})
    void openLoopKeepsTheTargetRate(String target) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--connect", connect(target), "--clients", "4",
            "--window", "1", "--rate", "500", "--duration", "2", "--warmup", "0.5", "--root", "/bench-rate", "--keep",
            "--quiet"});
        BenchResult result = Bench.execute(options, System.out);
        String line = result.resultLine();
        System.out.println(target + ": " + line);
        assertEquals(Map.of(), result.errors(), line);
        assertTrue(Math.abs(result.rateAchieved() - 500) <= 50, "achieved rate within 10%: " + line);
        assertTrue(Math.abs(result.opsPerSec() - 500) <= 50, "replies at the same rate: " + line);
        assertTrue(result.p50Ms() < 100, "no backlog builds up: " + line);
        Matcher m = Pattern.compile(" errors=0 rate_target=500\\.0 rate_achieved=([\\d.]+) sent_late=(\\d+)$")
                .matcher(line);
        assertTrue(m.find(), line);
        assertEquals(result.rateAchieved(), Double.parseDouble(m.group(1)), 0.05, line);
        assertEquals(result.sentLate(), Long.parseLong(m.group(2)), line);
        assertTrue(result.sentLate() <= result.scheduledSent(), line);
        long sent = 0;
        try (ZooKeeper client = client(connect(target))) {
            for (String path : result.sessionPaths()) {
                sent += client.exists(path, false).getVersion();
            }
            ZKUtil.deleteRecursive(client, "/bench-rate");
        }
        // 2.5 s of schedule (plus the 20 ms lead and the drain): every setData went out once and succeeded
        assertTrue(Math.abs(sent - 1250) <= 125, "setData requests over the whole run: " + sent + "; " + line);
        assertEquals(result.sessionWrites().stream().mapToLong(Long::longValue).sum(), sent, line);
    }

    /**
     * {@code --rate} far above what one synchronous session can do: the requests queue behind the window, nearly all
     * go out late, and their latency counts from the scheduled time, so it grows with the backlog to hundreds of ms
     * although each round trip takes far less.
     */
    @Test
    void anUnreachableRateReportsLateSendsAndCountsTheWait() throws Exception {
        BenchOptions closed = BenchOptions.parse(new String[] {"--connect", connect("accord"), "--clients", "1",
            "--window", "1", "--duration", "1", "--warmup", "0.3", "--root", "/bench-overload", "--quiet"});
        BenchResult roundTrips = Bench.execute(closed, System.out);
        BenchOptions open = BenchOptions.parse(new String[] {"--connect", connect("accord"), "--clients", "1",
            "--window", "1", "--rate", "1000000", "--duration", "1", "--warmup", "0.3", "--root", "/bench-overload",
            "--quiet"});
        BenchResult result = Bench.execute(open, System.out);
        String line = result.resultLine();
        System.out.println(line + " (closed loop: " + roundTrips.resultLine() + ")");
        assertEquals(Map.of(), result.errors(), line);
        assertTrue(result.scheduledSent() > 0, line);
        assertTrue(result.rateAchieved() < 500_000, "the rate is not reached: " + line);
        assertTrue(result.sentLate() >= result.scheduledSent() * 9 / 10, "nearly all sent late: " + line);
        // the replies of the measured window (0.3..1.3 s) answer requests scheduled in its first few ms
        assertTrue(result.p50Ms() > 200, "latency includes the wait behind the window: " + line);
        assertTrue(result.p50Ms() > 10 * roundTrips.p50Ms(), "far above a round trip: " + line + " vs "
                + roundTrips.resultLine());
        assertTrue(line.contains(" rate_target=1000000.0 rate_achieved="), line);
    }

    @Test
    void commandPrintsTheResultLineAndRemovesWhatItCreated() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // through the accord command's own dispatch (package-private: reached by reflection)
        Method run = Accord.class.getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        int code = (int) run.invoke(null, new String[] {"bench", "--connect", connect("accord"), "--clients", "3",
            "--window", "1", "--duration", "1.2", "--warmup", "0.2", "--root", "/bench-cli/sub"},
                new PrintStream(out), new PrintStream(err));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err);
        assertTrue(text.contains(Bench.MEASURE_START) && text.contains(Bench.MEASURE_END), "progress markers: " + text);
        Matcher m = Pattern.compile("(?m)^RESULT workload=set clients=3 window=1 ops=(\\d+) ops_per_sec=([\\d.]+) "
                + "p50_ms=[\\d.]+ p90_ms=[\\d.]+ p99_ms=[\\d.]+ p999_ms=[\\d.]+ max_ms=[\\d.]+ errors=0$")
                .matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Long.parseLong(m.group(1)) > 0, text);
        try (ZooKeeper client = client(connect("accord"))) {
            assertNull(client.exists("/bench-cli/sub", false), "the root it created is removed");
            assertNotNull(client.exists("/bench-cli", false), "ancestors are left");
            client.delete("/bench-cli", -1);
        }
    }

    @Test
    void badArgumentsExitTwoWithUsage() {
        for (String[] args : List.of(new String[] {"--clients", "0"}, new String[] {"--workload", "put"},
                new String[] {"--window"}, new String[] {"--frobnicate"}, new String[] {"--connect", "h:99999"},
                new String[] {"--root", "rel"}, new String[] {"--duration", "x"}, new String[] {"--rate", "0"},
                new String[] {"--rate", "fast"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Bench.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, String.join(" ", args));
            assertTrue(text.startsWith("accord bench: "), text);
            assertTrue(text.contains("usage: accord bench"), text);
        }
    }

    @Test
    void unreachableServerIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int code = Bench.run(new String[] {"--connect", "127.0.0.1:" + port, "--duration", "1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.startsWith("accord bench: cannot connect to 127.0.0.1:" + port + ": "), text);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "fails fast");
    }

    @Test
    void aServerThatIsNotZooKeeperIsAClearError() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> {
                while (!http.isClosed()) {
                    try (java.net.Socket s = http.accept()) {
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getInputStream().read();
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            }, "not-zookeeper");
            answerer.setDaemon(true);
            answerer.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Bench.run(new String[] {"--connect", "127.0.0.1:" + http.getLocalPort(), "--clients", "1"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, text);
            assertTrue(text.startsWith("accord bench: no session from 127.0.0.1:" + http.getLocalPort() + ": "), text);
        }
    }

    private static ZooKeeper client(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connect, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(30, TimeUnit.SECONDS), "connected to " + connect);
        return client;
    }
}
