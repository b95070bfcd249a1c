package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accord.clusterSecretPath}: the member's own ingress proves the secret, so a server with one serves writes;
 * a missing or too short secret file stops the start with a message saying what to do.
 */
@Timeout(120)
class ClusterSecretTest {
    @TempDir
    Path dir;

    private Properties zooCfg(Path secret) {
        Properties p = SingleNode.zooCfg(dir);
        p.setProperty(AccordServer.CLUSTER_SECRET_PATH, secret.toString());
        return p;
    }

    @Test
    void aServerWithASecretServesWrites() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef\n");
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg(secret), Path.of("."), w -> { }))) {
            SingleNode.assertServesWrites(server, "/written", (byte) 7);
        }
    }

    @Test
    void theSecretIsTheFileWithoutItsTrailingLineBreak() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdefXYZ\r\n");
        assertEquals("0123456789abcdefXYZ",
                new String(AccordServer.clusterSecret(secret), StandardCharsets.US_ASCII));
    }

    @Test
    void aMissingOrShortSecretIsAConfigError() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg(dir.resolve("nope")), Path.of("."), w -> { })));
        assertTrue(missing.getMessage().startsWith("accord.clusterSecretPath: cannot read "), missing.getMessage());
        assertTrue(missing.getMessage().contains("head -c 32 /dev/urandom"), missing.getMessage());

        Path shortSecret = Files.writeString(dir.resolve("short"), "too short\n");
        ConfigException tooShort = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg(shortSecret), Path.of("."), w -> { })));
        assertTrue(tooShort.getMessage().contains("holds 9 bytes; a cluster secret needs at least 16"),
                tooShort.getMessage());
    }
}
