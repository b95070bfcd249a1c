package io.accord.tools.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooCfgTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private ServerConfig parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return ZooCfg.parse(p, dir, warnings::add);
    }

    private String assertRejected(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    @Test
    void noArgumentDefaultsServeLoopback2181FromAccordData() {
        ServerConfig c = ZooCfg.defaults();
        assertEquals(2181, c.clientPort());
        assertEquals("127.0.0.1", c.clientPortAddress());
        assertEquals(Path.of("accord-data"), c.dataDir());
        assertEquals(2000, c.tickTimeMs());
        assertFalse(c.ensemble());
        assertFalse(c.memoryMode());
    }

    @Test
    void zooKeeperSampleConfigGetsZooKeeperDefaults() {
        ServerConfig c = parse("tickTime=2000\ndataDir=/var/zk\nclientPort=2181\n");
        assertEquals(4000, c.minSessionTimeoutMs(), "2 x tickTime");
        assertEquals(40000, c.maxSessionTimeoutMs(), "20 x tickTime");
        assertEquals(60, c.maxClientCnxns());
        assertEquals("0.0.0.0", c.clientPortAddress());
        assertEquals(c.dataDir(), c.dataLogDir(), "dataLogDir defaults to dataDir");
        assertEquals("srvr", c.fourLetterWordWhitelist());
        assertTrue(c.adminEnableServer());
        assertEquals(8080, c.adminServerPort());
        assertEquals(0xfffff, c.maxBuffer());
        assertEquals(-1, c.secureClientPort());
        assertNull(c.clientTls());
        assertEquals(1000, c.globalOutstandingLimit(), "ZooKeeper's default");
        assertEquals(3, c.snapRetainCount());
        assertEquals(0, c.purgeIntervalHours());
        assertFalse(c.extendedTypesEnabled(), "ZooKeeper's default");
        assertFalse(c.skipAcl());
        assertEquals(60_000, c.containerCheckIntervalMs());
        assertNull(c.superDigest());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void tickTimeDefaultsTo3000AndAnExplicitZeroIsRejected() {
        assertEquals(3000, parse("dataDir=d\nclientPort=1\n").tickTimeMs());
        assertTrue(assertRejected("tickTime=0\ndataDir=d\nclientPort=1").contains("tickTime is not set"));
        assertTrue(assertRejected("tickTime=-5\ndataDir=d\nclientPort=1").contains("tickTime: -5"));
        assertTrue(assertRejected("tickTime=fast\ndataDir=d\nclientPort=1").contains("tickTime: 'fast'"));
    }

    @Test
    void everyKeyAccordUsesIsRead() {
        ServerConfig c = parse("""
                tickTime=1000
                dataDir=data
                dataLogDir=logs
                clientPort=2999
                clientPortAddress=127.0.0.2
                maxClientCnxns=0
                globalOutstandingLimit=5000
                minSessionTimeout=1500
                maxSessionTimeout=90000
                autopurge.snapRetainCount=5
                autopurge.purgeInterval=24
                4lw.commands.whitelist=ruok, mntr
                admin.enableServer=false
                admin.serverAddress=127.0.0.1
                admin.serverPort=9090
                zookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=
                jute.maxbuffer=4194304
                zookeeper.extendedTypesEnabled=true
                skipACL=yes
                znode.container.checkIntervalMs=500
                znode.container.maxPerMinute=20
                znode.container.maxNeverUsedIntervalMs=1000
                accord.mode=memory
                accord.aeron.termLength=1m
                """);
        assertEquals(1000, c.tickTimeMs());
        assertEquals(dir.resolve("data"), c.dataDir());
        assertEquals(dir.resolve("logs"), c.dataLogDir());
        assertEquals(2999, c.clientPort());
        assertEquals("127.0.0.2", c.clientPortAddress());
        assertEquals(0, c.maxClientCnxns());
        assertEquals(5000, c.globalOutstandingLimit());
        assertEquals(1500, c.minSessionTimeoutMs());
        assertEquals(90000, c.maxSessionTimeoutMs());
        assertEquals(5, c.snapRetainCount());
        assertEquals(24, c.purgeIntervalHours());
        assertEquals("ruok, mntr", c.fourLetterWordWhitelist());
        assertFalse(c.adminEnableServer());
        assertEquals("127.0.0.1", c.adminServerAddress());
        assertEquals(9090, c.adminServerPort());
        assertEquals("super:D/InIHSb7yEEbrWz8b9l71RjZJU=", c.superDigest());
        assertEquals(4194304, c.maxBuffer());
        assertTrue(c.extendedTypesEnabled());
        assertTrue(c.skipAcl());
        assertEquals(500, c.containerCheckIntervalMs());
        assertEquals(20, c.containerMaxPerMinute());
        assertEquals(1000, c.containerMaxNeverUsedIntervalMs());
        assertTrue(c.memoryMode());
        assertEquals("1m", c.accordProperties().get("accord.aeron.termLength"));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void sslKeysConfigureTheSecureClientPort() throws IOException {
        Files.writeString(dir.resolve("trust.pass"), "trust-secret\n");
        ServerConfig c = parse("""
                dataDir=d
                clientPort=2181
                clientPortAddress=127.0.0.1
                secureClientPort=2281
                serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory
                ssl.keyStore.location=/etc/zk/server.p12
                ssl.keyStore.password=key-secret
                ssl.keyStore.type=PKCS12
                zookeeper.ssl.trustStore.location=/etc/zk/trust.jks
                ssl.trustStore.passwordPath=%s
                ssl.trustStore.type=JKS
                ssl.clientAuth=want
                ssl.protocol=TLSv1.2
                ssl.enabledProtocols=TLSv1.2
                ssl.ciphersuites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                ssl.hostnameVerification=false
                """.formatted(dir.resolve("trust.pass")));
        assertEquals(2281, c.secureClientPort());
        assertEquals("127.0.0.1", c.secureClientPortAddress(), "defaults to clientPortAddress");
        assertEquals(new io.accord.zk.server.TlsSettings("/etc/zk/server.p12", "key-secret", "PKCS12",
                "/etc/zk/trust.jks", "trust-secret", "JKS", io.accord.zk.server.TlsSettings.ClientAuth.WANT,
                "TLSv1.2", List.of("TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")),
                c.clientTls());
        assertEquals(List.of("zoo.cfg: ssl.hostnameVerification is a ZooKeeper setting that Accord does not need; "
                + "ignored"), warnings, "serverCnxnFactory and the ssl keys Accord uses are taken silently");
        assertEquals(io.accord.zk.server.TlsSettings.ClientAuth.NEED,
                parse("dataDir=d\nclientPort=1\nsecureClientPort=2\nssl.keyStore.location=k.jks\n")
                        .clientTls().clientAuth(), "ZooKeeper's default: client certificates required");
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nsecureClientPort=2\n")
                .contains("secureClientPort needs ssl.keyStore.location"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nsecureClientPort=2\nssl.keyStore.location=k\n"
                + "ssl.clientAuth=maybe\n").contains("ssl.clientAuth: maybe (expected: none, want or need)"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nsecureClientPort=2\nssl.keyStore.location=k.jks\n"
                + "ssl.clientHostnameVerification=true\n").contains("ssl.clientHostnameVerification=true: Accord "
                + "does not check client certificates against client host names"));
        parse("dataDir=d\nclientPort=1\nsecureClientPort=2\nssl.keyStore.location=k.jks\n"
                + "ssl.clientHostnameVerification=false\n"); // asks for nothing Accord lacks
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nglobalOutstandingLimit=0\n")
                .contains("globalOutstandingLimit: 0"));
    }

    @Test
    void shortSpellingsOfJvmPropertiesWork() {
        ServerConfig c = parse("dataDir=d\nclientPort=1\nextendedTypesEnabled=true\n"
                + "DigestAuthenticationProvider.superDigest=super:abc=\n");
        assertTrue(c.extendedTypesEnabled());
        assertEquals("super:abc=", c.superDigest());
    }

    @Test
    void zooKeeperKeysAccordDoesNotNeedWarnOncePerKey() {
        parse("dataDir=d\nclientPort=1\nelectionAlg=3\nsnapCount=100000\nquorum.auth.enableSasl=false\n"
                + "metricsProvider.className=x\nmyOwnKey=1\n");
        assertEquals(5, warnings.size(), warnings.toString());
        assertTrue(warnings.contains("zoo.cfg: electionAlg is a ZooKeeper setting that Accord does not need; ignored"));
        assertTrue(warnings.contains("zoo.cfg: unknown key myOwnKey; ignored"));
    }

    @Test
    void badValuesAreRejectedWithTheKeyAndTheValue() {
        assertTrue(assertRejected("clientPort=1").contains("dataDir is not set"));
        assertTrue(assertRejected("dataDir=d").contains("clientPort is not set"));
        assertTrue(assertRejected("dataDir=d\nclientPort=70000").contains("clientPort: 70000 (expected: 0..65535)"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nmaxClientCnxns=-1").contains("maxClientCnxns: -1"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nminSessionTimeout=50000\nmaxSessionTimeout=4000")
                .contains("minSessionTimeout 50000 must not be larger than maxSessionTimeout 4000"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nadmin.enableServer=maybe")
                .contains("admin.enableServer: 'maybe'"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\naccord.mode=disk").contains("accord.mode: disk"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\nzookeeper.DigestAuthenticationProvider.superDigest=nocolon")
                .contains("superDigest: nocolon"));
        assertTrue(assertRejected("dataDir=d\nclientPort=1\njute.maxbuffer=0").contains("jute.maxbuffer: 0"));
    }

    @Test
    void snapRetainCountBelowThreeIsRaisedWithAWarning() {
        assertEquals(3, parse("dataDir=d\nclientPort=1\nautopurge.snapRetainCount=1").snapRetainCount());
        assertEquals(List.of("zoo.cfg: autopurge.snapRetainCount 1 raised to the minimum, 3"), warnings);
    }

    @Test
    void ensembleReadsServerLinesAndMyId() throws IOException {
        Files.createDirectories(dir.resolve("zk"));
        Files.writeString(dir.resolve("zk/myid"), "2\n");
        ServerConfig c = parse("""
                tickTime=2000
                initLimit=5
                syncLimit=2
                dataDir=zk
                clientPort=2182
                server.1=127.0.0.1:2888:3888
                server.2=127.0.0.1:2889:3889:participant;2182
                server.3=[::1]:2890:3890:observer;127.0.0.3:2183
                """);
        assertTrue(c.ensemble());
        assertEquals(2, c.myId());
        assertEquals(new ServerEntry(1, "127.0.0.1", 2888, 3888, false, null, -1), c.servers().get(1));
        assertEquals(new ServerEntry(2, "127.0.0.1", 2889, 3889, false, null, 2182), c.servers().get(2));
        assertEquals(new ServerEntry(3, "::1", 2890, 3890, true, "127.0.0.3", 2183), c.servers().get(3));
        assertEquals(2182, c.clientPort());
    }

    @Test
    void ensembleRulesAreChecked() throws IOException {
        String lines = "dataDir=zk\nclientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=h:1:2\n";
        assertTrue(assertRejected(lines).contains("myid file is missing"));
        Files.createDirectories(dir.resolve("zk"));
        Files.writeString(dir.resolve("zk/myid"), "7");
        assertTrue(assertRejected(lines).contains("myid 7"));
        Files.writeString(dir.resolve("zk/myid"), "one");
        assertTrue(assertRejected(lines).contains("myid: 'one'"));
        Files.writeString(dir.resolve("zk/myid"), "1");
        assertTrue(assertRejected("dataDir=zk\nclientPort=2181\nserver.1=h:1:2\n").contains("initLimit is not set"));
        assertTrue(assertRejected(lines + "server.2=h:5:5\n").contains("quorum and election ports must differ"));
        assertTrue(assertRejected(lines + "server.2=h:5\n").contains("server.2: 'h:5'"));
        assertTrue(assertRejected(lines + "server.2=h:5:6:leader\n").contains("role 'leader'"));
        assertTrue(assertRejected(lines + "server.x=h:5:6\n").contains("server.x"));
        assertTrue(assertRejected(lines + "server.300=h:5:6\n").contains("server id 300"));
        assertTrue(assertRejected(lines + "server.2=a:1:2|b:1:2\n").contains("multiAddress"));
        assertTrue(assertRejected("dataDir=zk\nclientPort=2181\ninitLimit=5\nsyncLimit=2\nserver.1=h:1:2;2999\n")
                .contains("disagree"));
    }

    @Test
    void loadReportsAMissingFileByItsPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ZooCfg.load(dir.resolve("nope.cfg"), warnings::add));
        assertTrue(e.getMessage().startsWith("zoo.cfg not found: "), e.getMessage());
    }
}
