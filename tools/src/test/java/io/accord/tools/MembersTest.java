package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.cluster.Member;
import io.accord.tools.config.ConfigException;
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

/** The Aeron members a zoo.cfg's server.N lines give (every member must compute the same list). */
class MembersTest {
    @TempDir
    Path dir;

    private List<Member> members(String lines, int myId) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data" + myId));
        Files.writeString(data.resolve("myid"), Integer.toString(myId));
        Properties p = new Properties();
        p.load(new StringReader("tickTime=2000\ninitLimit=5\nsyncLimit=2\nclientPort=2181\ndataDir=" + data + "\n"
                + lines));
        ServerConfig config = ZooCfg.parse(p, dir, w -> { });
        return AccordServer.members(config);
    }

    @Test
    void zooKeepersUsualLocalEnsembleGetsSpreadOutAeronPorts() throws IOException {
        String stock = "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n";
        List<Member> expected = List.of(new Member(1, "127.0.0.1", 12888), new Member(2, "127.0.0.1", 12893),
                new Member(3, "127.0.0.1", 12898));
        for (int myId = 1; myId <= 3; myId++) {
            assertEquals(expected, members(stock, myId), "as member " + myId + " computes it");
        }
    }

    @Test
    void membersOnTheirOwnHostsOrSpacedPortsKeepTheirQuorumPort() throws IOException {
        assertEquals(List.of(new Member(1, "zk1", 2888), new Member(2, "zk2", 2888), new Member(3, "zk3", 2888)),
                members("server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n", 1));
        assertEquals(List.of(new Member(1, "127.0.0.1", 20000), new Member(2, "127.0.0.1", 20010)),
                members("server.1=127.0.0.1:20000:20100\nserver.2=127.0.0.1:20010:20110\n", 1));
    }

    @Test
    void explicitBasePortsWinAndOverlapsAmongThemAreRefused() throws IOException {
        String lines = "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n"
                + "accord.aeron.basePort.1=21000\naccord.aeron.basePort.2=21002\n";
        ConfigException e = assertThrows(ConfigException.class, () -> members(lines, 1));
        assertTrue(e.getMessage().contains("server.1 and server.2 are both on 127.0.0.1"), e.getMessage());
        assertEquals(List.of(new Member(1, "127.0.0.1", 21000), new Member(2, "127.0.0.1", 21010)),
                members("server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\n"
                        + "accord.aeron.basePort.1=21000\naccord.aeron.basePort.2=21010\n", 2));
    }
}
