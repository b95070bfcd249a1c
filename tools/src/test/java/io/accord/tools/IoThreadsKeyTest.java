package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.cluster.Member;
import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord.ioThreads}: the client port runs as many event loops as configured, and by default one per core
 * shared among the members on this machine.
 */
@Timeout(120)
class IoThreadsKeyTest {
    @TempDir
    Path dir;

    @Test
    void membersOnOneMachineShareItsCores() {
        assertEquals(8, AccordServer.defaultIoThreads(8, 1));
        assertEquals(2, AccordServer.defaultIoThreads(8, 3));
        assertEquals(1, AccordServer.defaultIoThreads(2, 3), "at least one");
        assertEquals(1, AccordServer.defaultIoThreads(1, 1));
        assertTrue(Member.allLoopback(List.of(new Member(1, "127.0.0.1", 2000), new Member(2, "localhost", 2010))));
        assertFalse(Member.allLoopback(List.of(new Member(1, "127.0.0.1", 2000), new Member(2, "192.0.2.1", 2010))));
    }

    @Test
    void theConfiguredCountIsWhatTheClientPortRuns() throws Exception {
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.IO_THREADS, "3");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { }))) {
            assertEquals(3, server.ioThreads());
            SingleNode.assertServesWrites(server, "/io", (byte) 3);
        }
    }

    @Test
    void aStandaloneNodeUsesEveryCoreByDefault() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(SingleNode.zooCfg(dir), Path.of("."), w -> { }))) {
            assertEquals(Runtime.getRuntime().availableProcessors(), server.ioThreads());
        }
    }

    @Test
    void aCountThatIsNotAPositiveWholeNumberIsAConfigError() {
        for (String bad : List.of("0", "-2", "two")) {
            Properties p = SingleNode.zooCfg(dir);
            p.setProperty(AccordServer.IO_THREADS, bad);
            ConfigException e = assertThrows(ConfigException.class,
                    () -> AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { })));
            assertEquals("accord.ioThreads: '" + bad + "' (expected: a whole number > 0)", e.getMessage());
        }
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.IO_THREADS, "1025");
        ConfigException e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { })));
        assertEquals("accord.ioThreads: 1025 (expected: at most 1024)", e.getMessage());
    }
}
