package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.cluster.Member;
import io.accord.tools.config.ServerConfig;
import io.accord.tools.config.ZooCfg;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreThreePersistentMembersFrom2181InAccordEnsemble() {
        Ensemble.Options o = Ensemble.parse(new String[0]);
        assertEquals(3, o.nodes());
        assertEquals(false, o.memory());
        assertEquals(2181, o.clientPort(1));
        assertEquals(2183, o.clientPort(3));
        assertEquals(Path.of("accord-ensemble").toAbsolutePath().normalize(), o.dir());
        assertEquals("127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183", Ensemble.connectString(o));
    }

    @Test
    void aDirectoryFromAnotherModeOrOtherMembersIsRefusedBeforeAnythingStarts() throws IOException {
        Ensemble.Options first = Ensemble.parse(new String[] {"--memory", "--base-port", "21000", "--dir",
            dir.toString()});
        assertEquals(null, Ensemble.checkExisting(first));
        for (int i = 1; i <= 3; i++) {
            Files.writeString(first.memberDir(i).resolve("zoo.cfg"), Ensemble.zooCfg(first, i));
            assertTrue(Files.exists(first.memberDir(i).resolve("data").resolve(DataDirFormat.FILE)));
        }
        // The same options again (other client ports are fine): accepted.
        assertEquals(null, Ensemble.checkExisting(Ensemble.parse(new String[] {"--memory", "--base-port", "21000",
            "--client-port", "23000", "--dir", dir.toString()})));

        String mode = Ensemble.checkExisting(Ensemble.parse(new String[] {"--base-port", "21000", "--dir",
            dir.toString()}));
        assertEquals(first.memberDir(1).resolve("data") + " was written in memory mode; run with --memory or use "
                + "another --dir", mode);

        String members = Ensemble.checkExisting(Ensemble.parse(new String[] {"--memory", "--nodes", "5",
            "--base-port", "21000", "--dir", dir.toString()}));
        assertTrue(members != null && members.contains("holds an ensemble with other members or quorum ports "
                + "(server.1=127.0.0.1:21000:21001, server.2=127.0.0.1:21005:21006, server.3=127.0.0.1:21010:21011)"),
                members);
        String ports = Ensemble.checkExisting(Ensemble.parse(new String[] {"--memory", "--base-port", "21100",
            "--dir", dir.toString()}));
        assertTrue(ports != null && ports.contains("run with the --nodes and --base-port it was created with"), ports);
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ensemble.parse(new String[] {"--nodes"}));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.parse(new String[] {"--nodes", "0"}));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.parse(new String[] {"--frob", "1"}));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.parse(new String[] {"--base-port", "65530"}));
    }

    @Test
    void eachMembersZooCfgParsesAndItsAeronPortRangesDoNotOverlap() throws IOException {
        Ensemble.Options o = Ensemble.parse(new String[] {"--nodes", "5", "--memory", "--base-port", "21000",
            "--client-port", "22000", "--admin-port", "0", "--dir", dir.toString()});
        for (int i = 1; i <= 5; i++) {
            Path data = o.memberDir(i).resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), Integer.toString(i));
            Properties p = new Properties();
            p.load(new StringReader(Ensemble.zooCfg(o, i)));
            ServerConfig c = ZooCfg.parse(p, Path.of("."), w -> {
                throw new AssertionError("warning: " + w);
            });
            assertEquals(i, c.myId());
            assertEquals(22000 + i - 1, c.clientPort());
            assertEquals("127.0.0.1", c.clientPortAddress());
            assertTrue(c.memoryMode());
            assertEquals(0, c.adminServerPort());
            assertEquals(data, c.dataDir());
            List<Member> members = AccordServer.members(c); // refuses overlapping port ranges
            assertEquals(5, members.size());
            for (int n = 1; n <= 5; n++) {
                assertEquals(21000 + (n - 1) * Member.PORTS_PER_MEMBER, members.get(n - 1).basePort());
            }
        }
    }
}
