package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.accord.compat.support.Await;
import io.accord.compat.support.Clients;
import io.accord.compat.support.ZkCli;

/**
 * The ZooKeeper CLI ({@code zkCli.sh}, i.e. {@code ZooKeeperMain}, driven by {@link ZkCli}) run through
 * one fixed script against the target must print exactly what it prints against the real ZooKeeper,
 * captured in the same run,
 * once legitimate differences are normalized: zxids (numbered by order of first appearance), times,
 * the session id, the server's host:port and the per-target root path.
 *
 * <p>Watch notifications, which the CLI prints asynchronously from the client's event thread, are
 * recorded by the session's default watcher and put into the transcript at fixed points of the script
 * ({@code !events N} waits for N further notifications, then prints them and any others already received).
 *
 * <p>{@code listquota} after {@code setquota} checks quota accounting: ZooKeeper keeps
 * {@code /zookeeper/quota/<path>/zookeeper_stats} up to date (count of nodes and bytes of data under the path).
 */
class ZkCliTest extends TargetTestBase {

    private static final String USER1_DIGEST = TargetConfig.digestId("user1", "pw1");

    /** Normalized transcript of the reference (real ZooKeeper), computed once per run. */
    private static String referenceTranscript;

    /** The script; {@code R} stands for the target's root path. */
    private static List<String> script(String r) {
        return List.of(
            "version",
            "create " + r + " root",
            "create " + r + "/a adata",
            "create " + r + "/a/b bdata",
            "create " + r + "/a/c",
            "create -e " + r + "/eph edata",
            "create -e " + r + "/eph2",
            "create -s " + r + "/seq- s1",
            "create -s " + r + "/seq- s2",
            "create -e -s " + r + "/eseq-",
            "create -c " + r + "/cont",
            "create " + r + "/cont/child",
            "create -t 3600000 " + r + "/ttl tdata",
            "create " + r + "/a adup",
            "create " + r + "/missing/x",
            "create -t 0 " + r + "/ttl0",
            "ls " + r,
            "ls -s " + r,
            "ls -R " + r,
            "ls " + r + "/missing",
            "get " + r + "/a",
            "get -s " + r + "/a",
            "get " + r + "/a/c",
            "get " + r + "/missing",
            "set " + r + "/a adata2",
            "set -s " + r + "/a adata3",
            "set -v 1 " + r + "/a bad",
            "set -v 2 " + r + "/a adata4",
            "set " + r + "/missing x",
            "stat " + r + "/a",
            "stat " + r + "/missing",
            "stat " + r + "/cont",
            "stat " + r + "/ttl",
            "get -s " + r + "/eph",
            "delete " + r + "/a",
            "delete -v 5 " + r + "/a/c",
            "delete -v 0 " + r + "/a/c",
            "delete " + r + "/a/missing",
            "deleteall " + r + "/a",
            "deleteall " + r + "/missing",
            "ls -s " + r,
            "getAcl " + r,
            "getAcl -s " + r,
            "setAcl " + r + "/eph world:anyone:r",
            "getAcl -s " + r + "/eph",
            "setAcl -v 0 " + r + "/eph world:anyone:cdrwa",
            "setAcl -v 5 " + r + "/cont world:anyone:cdrwa",
            "setAcl -s -v 0 " + r + "/cont world:anyone:cdrwa",
            "setAcl " + r + "/missing world:anyone:r",
            "set " + r + "/eph denied",
            "create " + r + "/secret sdata digest:" + USER1_DIGEST + ":cdrwa",
            "create " + r + "/secret/child x",
            "get " + r + "/secret",
            "set " + r + "/secret x",
            "getAcl " + r + "/secret",
            "ls " + r + "/secret",
            "stat " + r + "/secret",
            "whoami",
            "addauth digest user1:wrong",
            "get " + r + "/secret",
            "addauth digest user1:pw1",
            "whoami",
            "get " + r + "/secret",
            "create " + r + "/secret/child x",
            "getAcl -s " + r + "/secret",
            "setAcl " + r + "/secret auth::cdrw",
            "getAcl " + r + "/secret",
            "create " + r + "/authnode adata auth::cdrwa",
            "getAcl " + r + "/authnode",
            "delete " + r + "/secret/child",
            "delete " + r + "/secret",
            "sync " + r,
            "getEphemerals " + r + "/eph",
            "getEphemerals " + r + "/eseq",
            "getEphemerals " + r + "/nothing",
            "getAllChildrenNumber " + r,
            "getAllChildrenNumber " + r + "/cont",
            "getAllChildrenNumber " + r + "/missing",
            "config",
            "config -s",
            "config -c",
            "ls /zookeeper",
            "getAcl /zookeeper/config",
            "set /zookeeper/config x",
            "sync " + r + "/missing",
            "create " + r + "/q \"two words\"",
            "get -x " + r + "/q",
            "set -b " + r + "/q aGVsbG8=",
            "get " + r + "/q",
            "get -b " + r + "/q",
            "create " + r + "/qt",
            "setquota -n 3 " + r + "/qt",
            "setquota -b 100 " + r + "/qt",
            "create " + r + "/qt/c1 data",
            "listquota " + r + "/qt",
            "setquota -n 5 " + r + "/qt",
            "delquota -n " + r + "/qt",
            "listquota " + r + "/qt",
            "delquota " + r + "/qt",
            "listquota " + r + "/qt",
            "create " + r + "/tree",
            "create " + r + "/tree/x1",
            "create " + r + "/tree/x1/y1",
            "create " + r + "/tree/x2",
            "setAcl -R " + r + "/tree world:anyone:cdrw",
            "getAcl " + r + "/tree/x1/y1",
            "ls -R " + r + "/tree",
            "deleteall " + r + "/tree -b 2",
            "ls " + r + "/tree",
            "create " + r + "/w w0",
            "create " + r + "/r",
            "addWatch " + r + "/w",
            "create " + r + "/p",
            "addWatch -m PERSISTENT_RECURSIVE " + r + "/r",
            "addWatch -m PERSISTENT " + r + "/p",
            "addWatch -m NOSUCHMODE " + r + "/p",
            "set " + r + "/w w1",
            "create " + r + "/r/x",
            "set " + r + "/r/x y",
            "delete " + r + "/r/x",
            "create " + r + "/p/k",
            "set " + r + "/p/k v",
            "set " + r + "/p pv",
            "!events 6",
            "get -w " + r + "/w",
            "ls -w " + r + "/w",
            "stat -w " + r + "/later",
            "removewatches " + r + "/w -d",
            "removewatches " + r + "/w -c",
            "removewatches " + r + "/w -a",
            "removewatches " + r + "/r -a",
            "removewatches " + r + "/p -a",
            "removewatches " + r + "/nowatch -a",
            "set " + r + "/w w2",
            "create " + r + "/w/child",
            "create " + r + "/r/y",
            "create " + r + "/later",
            "set " + r + "/p pv2",
            "!events 6",
            "get -w " + r + "/last",
            "create " + r + "/last",
            "get -w " + r + "/last",
            "set " + r + "/last done",
            "!events 1",
            "create noslash",
            "delete /",
            "nosuchcommand " + r,
            "deleteall " + r,
            "ls " + r);
    }

    @Test
    void cliPrintsWhatItPrintsAgainstZooKeeper() throws Exception {
        String transcript = runScript(target, root);
        if (factory == Targets.REFERENCE) {
            referenceTranscript = transcript;
            assertLooksLikeAWorkingCli(transcript);
            return;
        }
        String reference = referenceTranscript;
        if (reference == null) {
            // this target ran before the reference: capture the reference now, on a server of its own
            reference = runScript(clients.register(Targets.REFERENCE.start(config())), root + "-reference");
            referenceTranscript = reference;
        }
        assertEquals(reference, transcript, firstDifference(reference, transcript));
    }

    /** Where the subject's transcript first departs from the reference's: the command and both outputs. */
    private String firstDifference(String reference, String subject) {
        String[] expected = reference.split("\n", -1);
        String[] actual = subject.split("\n", -1);
        int line = 0;
        while (line < expected.length && line < actual.length && expected[line].equals(actual[line])) {
            line++;
        }
        String command = "(before the first command)";
        for (int i = Math.min(line, expected.length - 1); i >= 0; i--) {
            if (expected[i].startsWith("> ")) {
                command = expected[i];
                break;
            }
        }
        return factory.name() + " must print exactly what " + Targets.REFERENCE.name() + " prints; first difference at line "
            + (line + 1) + ", in the output of <" + command + ">: zookeeper <"
            + (line < expected.length ? expected[line] : "(end)") + "> but " + factory.name() + " <"
            + (line < actual.length ? actual[line] : "(end)") + ">";
    }

    /** Checks on the reference itself, so that a broken capture (everything empty) cannot pass. */
    private static void assertLooksLikeAWorkingCli(String transcript) {
        for (String expected : List.of(
                "Created /ROOT/seq-0000000003",
                "Node already exists: /ROOT/a",
                "Node does not exist: /ROOT/missing",
                "version No is not valid : /ROOT/a",
                "Node not empty: /ROOT/a",
                "Insufficient permission : /ROOT/secret",
                "digest,'" + USER1_DIGEST,
                "ip: 127.0.0.1",
                "digest: user1",
                "Sync is OK",
                "type:NodeDataChanged path:/ROOT/w",
                "type:NodeCreated path:/ROOT/later",
                "type:NodeDataChanged path:/ROOT/last",
                "ephemeralOwner = SESSION",
                "cZxid = ZXID#",
                "ctime = TIME")) {
            assertTrue(transcript.contains(expected), "reference transcript lacks <" + expected + ">:\n" + transcript);
        }
    }

    private String runScript(ServerTarget server, String r) throws Exception {
        ZkCli cli = clients.register(ZkCli.connect(server.connectString(), Clients.SESSION_TIMEOUT_MS));
        StringBuilder transcript = new StringBuilder();
        long start = System.nanoTime();
        for (String line : script(r)) {
            transcript.append("> ").append(line).append('\n');
            if (line.startsWith("!events ")) {
                for (int i = Integer.parseInt(line.substring("!events ".length())); i > 0; i--) {
                    String event = cli.nextNotification(Await.DEFAULT.toMillis());
                    transcript.append("WATCHER:: ").append(event == null ? "<none within " + Await.DEFAULT + ">" : event).append('\n');
                }
                for (String extra; (extra = cli.pollNotification()) != null; ) {
                    transcript.append("WATCHER:: ").append(extra).append('\n');
                }
                continue;
            }
            transcript.append(cli.execute(line));
        }
        System.out.printf("ZkCliTest: %d commands on %s took %d ms%n", script(r).size(), server.name(),
            (System.nanoTime() - start) / 1_000_000);
        String normalized = normalize(transcript.toString(), r, cli.sessionId(), server.connectString());
        // kept for diffing by hand: target/zkcli/<target>.txt
        Path file = Path.of("target", "zkcli", server.name() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, normalized);
        return normalized;
    }

    private static final Pattern HEX_ZXID = Pattern.compile("(?<=[cmp]Zxid = )0x([0-9a-f]+)");
    private static final Pattern EVENT_ZXID = Pattern.compile("(?<=zxid: )(-?\\d+)");
    private static final Pattern TIME = Pattern.compile("(?<=[cm]time = ).*");

    /** Replaces what legitimately differs between servers and runs by stable placeholders. */
    private static String normalize(String transcript, String r, long sessionId, String connectString) {
        String text = transcript.replace(r, "/ROOT");
        text = text.replace("0x" + Long.toHexString(sessionId), "SESSION");
        for (String hostPort : connectString.split(",")) {
            text = text.replace(hostPort, "HOST:PORT");
        }
        text = TIME.matcher(text).replaceAll("TIME");
        // zxids, hex in stats and decimal in notifications, numbered by order of first appearance
        Map<Long, Integer> order = new HashMap<>();
        Matcher m = Pattern.compile(HEX_ZXID.pattern() + "|" + EVENT_ZXID.pattern()).matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long zxid = m.group(1) != null ? Long.parseUnsignedLong(m.group(1), 16) : Long.parseLong(m.group(2));
            String token = zxid == -1 ? "-1" : "ZXID#" + order.computeIfAbsent(zxid, z -> order.size() + 1);
            m.appendReplacement(out, token);
        }
        m.appendTail(out);
        return out.toString();
    }
}
