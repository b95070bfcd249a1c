package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord.aeron.mtu}: the cluster's log and ingress streams really carry the MTU (as the media driver's own
 * counters name their channels), the default on loopback is 32 KiB, and a value Aeron cannot send is a config error.
 */
@Timeout(120)
class MtuKeyTest {
    @TempDir
    Path dir;

    private Properties zooCfg(String mtu) {
        Properties p = SingleNode.zooCfg(dir);
        if (mtu != null) {
            p.setProperty(AccordServer.MTU, mtu);
        }
        return p;
    }

    /** The channels of the driver's sender positions (one per network publication). */
    private static List<String> senderChannels(AccordServer server) {
        return server.clusterMetrics().counterLabels("snd-pos");
    }

    /** Asserts that the log publication carries {@code logMtu}, and this member's ingress one {@code ingressMtu}. */
    private static void assertStreamsUse(AccordServer server, int logMtu, int ingressMtu) {
        List<String> senders = senderChannels(server);
        List<String> log = senders.stream().filter(c -> c.contains("alias=log")).toList();
        assertEquals(1, log.size(), "one log publication: " + senders);
        assertTrue(hasMtu(log.get(0), logMtu), "the log publication carries mtu=" + logMtu + ": " + senders);
        assertTrue(senders.stream().filter(c -> !c.contains("alias=log")).anyMatch(c -> hasMtu(c, ingressMtu)),
                "the ingress publication carries mtu=" + ingressMtu + ": " + senders);
    }

    private static boolean hasMtu(String channel, int mtu) {
        return channel.matches(".*[?|]mtu=" + mtu + "([|\\s].*|$)");
    }

    @Test
    void theConfiguredMtuIsWhatTheLogAndIngressStreamsUse() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg("8192"), Path.of("."), w -> { }))) {
            assertEquals(8192, server.clusterPort().context().mtu());
            SingleNode.assertServesWrites(server, "/mtu", (byte) 8);
            assertStreamsUse(server, 8192, 8192);
        }
    }

    @Test
    void onLoopbackTheDefaultIs32KiB() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg(null), Path.of("."), w -> { }))) {
            SingleNode.assertServesWrites(server, "/mtu", (byte) 32);
            assertStreamsUse(server, 32 * 1024, 32 * 1024);
        }
    }

    /**
     * The MTU of an existing log cannot change (Aeron extends a recording only with the MTU it was recorded with);
     * Aeron Cluster carries the recorded MTU into the log channel, so a data directory written with another MTU
     * (such as one from before the loopback default) restarts and keeps serving.
     */
    @Test
    void aLogRecordedWithAnotherMtuRestartsUnderTheNewDefault() throws Exception {
        Properties first = zooCfg("1408");
        first.setProperty("accord.mode", "persistent");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(first, Path.of("."), w -> { }))) {
            SingleNode.assertServesWrites(server, "/before", (byte) 14);
            assertStreamsUse(server, 1408, 1408);
        }
        Properties second = zooCfg(null);
        second.setProperty("accord.mode", "persistent");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(second, Path.of("."), w -> { }))) {
            assertEquals(32 * 1024, server.clusterPort().context().mtu());
            SingleNode.assertServesWrites(server, "/after", (byte) 32);
            assertEquals(14, SingleNode.read(server, "/before")[0]);
            assertStreamsUse(server, 1408, 32 * 1024); // the log keeps the MTU it was recorded with
        }
    }

    @Test
    void anMtuAeronCannotSendIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg("1410"), Path.of("."), w -> { })));
        assertEquals("accord.aeron.mtu: mtu: 1410 (expected: a multiple of 32 from 1024 to 65504)", e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg("8k"), Path.of("."), w -> { })));
        assertEquals("accord.aeron.mtu: '8k' (expected: a whole number > 0)", e.getMessage());
    }
}
