package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord.aeron.threading}: {@code shared} (the default) runs the member's driver, archive and consensus
 * module on one thread, {@code dedicated} on a thread each; anything else is a config error.
 */
@Timeout(120)
class ThreadingKeyTest {
    @TempDir
    Path dir;

    private static boolean threadNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }

    @Test
    void byDefaultOneThreadRunsTheMember() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(SingleNode.zooCfg(dir), Path.of("."), w -> { }))) {
            assertTrue(server.clusterPort().context().sharedThread());
            assertTrue(threadNamed("accord-member-1"));
            SingleNode.assertServesWrites(server, "/shared", (byte) 1);
        }
    }

    @Test
    void dedicatedThreadsServeWritesToo() throws Exception {
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.THREADING, "dedicated");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { }))) {
            assertFalse(server.clusterPort().context().sharedThread());
            assertFalse(threadNamed("accord-member-1"));
            assertTrue(threadNamed("consensus-module-"), "Aeron's own consensus module thread runs");
            SingleNode.assertServesWrites(server, "/dedicated", (byte) 2);
        }
    }

    @Test
    void anUnknownLayoutIsAConfigErrorThatListsTheKnownOnes() {
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.THREADING, "single");
        ConfigException e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(p, Path.of("."), w -> { })));
        assertEquals("accord.aeron.threading: unknown threading 'single' (expected: shared or dedicated)",
                e.getMessage());
    }
}
