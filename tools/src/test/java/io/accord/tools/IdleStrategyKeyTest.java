package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code accord.aeron.idleStrategy}: a named strategy runs the server; an unknown one is a config error. */
@Timeout(120)
class IdleStrategyKeyTest {
    @TempDir
    Path dir;

    private Properties zooCfg(String idleStrategy) {
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.IDLE_STRATEGY, idleStrategy);
        return p;
    }

    @Test
    void aServerWithFixedSleepsServesWrites() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg("sleep-2ms"), Path.of("."), w -> { }))) {
            assertEquals("sleep-ms", server.clusterPort().context().idleStrategySupplier().get().alias());
            SingleNode.assertServesWrites(server, "/slept", (byte) 3);
        }
    }

    @Test
    void anUnknownStrategyIsAConfigErrorThatListsTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg("busy-spin"), Path.of("."), w -> { })));
        assertEquals("accord.aeron.idleStrategy: idleStrategy: busy-spin (expected: low-cpu, backoff or "
                + "sleep-<1..1000>ms)", e.getMessage());
    }
}
