package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import io.aeron.CncFileDescriptor;
import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;
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
        String aeronDir = server.clusterPort().context().aeronDirectoryName();
        MappedByteBuffer cnc = IoUtil.mapExistingFile(new File(aeronDir, CncFileDescriptor.CNC_FILE), "cnc");
        try {
            DirectBuffer meta = CncFileDescriptor.createMetaDataBuffer(cnc);
            CountersReader counters = new CountersReader(CncFileDescriptor.createCountersMetaDataBuffer(cnc, meta),
                    CncFileDescriptor.createCountersValuesBuffer(cnc, meta));
            List<String> channels = new ArrayList<>();
            counters.forEach((value, id, label) -> {
                if (label.startsWith("snd-pos")) {
                    channels.add(label);
                }
            });
            return channels;
        } finally {
            IoUtil.unmap(cnc);
        }
    }

    private static void assertStreamsUse(AccordServer server, int mtu) {
        List<String> senders = senderChannels(server);
        long log = senders.stream().filter(c -> c.contains("alias=log")).count();
        long withMtu = senders.stream().filter(c -> c.contains("|mtu=" + mtu + "|") || c.endsWith("|mtu=" + mtu)
                || c.contains("?mtu=" + mtu)).count();
        assertEquals(1, log, "one log publication: " + senders);
        assertTrue(senders.stream().filter(c -> c.contains("alias=log")).allMatch(c -> c.contains("mtu=" + mtu)),
                "the log publication carries mtu=" + mtu + ": " + senders);
        assertTrue(withMtu >= 2, "the log and this member's ingress publication carry mtu=" + mtu + ": " + senders);
    }

    @Test
    void theConfiguredMtuIsWhatTheLogAndIngressStreamsUse() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg("8192"), Path.of("."), w -> { }))) {
            assertEquals(8192, server.clusterPort().context().mtu());
            SingleNode.assertServesWrites(server, "/mtu", (byte) 8);
            assertStreamsUse(server, 8192);
        }
    }

    @Test
    void onLoopbackTheDefaultIs32KiB() throws Exception {
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg(null), Path.of("."), w -> { }))) {
            SingleNode.assertServesWrites(server, "/mtu", (byte) 32);
            assertStreamsUse(server, 32 * 1024);
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
