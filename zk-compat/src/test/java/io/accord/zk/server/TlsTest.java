package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The TLS client port ({@code secureClientPort}) beside the plain one, used by the real ZooKeeper 3.9.5 Java client
 * in TLS mode (Netty socket, {@code zookeeper.client.secure=true}, {@code zookeeper.ssl.*}), with certificates made
 * by keytool for the test; client certificates authenticate as {@code x509:<subject DN>}.
 */
class TlsTest {
    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create();
    }

    @AfterAll
    static void deleteCertificates() throws Exception {
        certs.delete();
    }

    private static TestServer server(TlsSettings.ClientAuth clientAuth) {
        return TestServer.start(c -> c.secureClientPort(0).fourLetterWordWhitelist("srvr,conf")
                .tls(TlsSettings.of(certs.serverKeys.toString(), TestCertificates.PASSWORD,
                        certs.serverTrust.toString(), TestCertificates.PASSWORD, clientAuth)));
    }

    /** The real client's TLS settings, as {@code zookeeper.ssl.*} client properties. */
    private static ZKClientConfig tlsClient(Path keyStore) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        if (keyStore != null) {
            config.setProperty("zookeeper.ssl.keyStore.location", keyStore.toString());
            config.setProperty("zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD);
            config.setProperty("zookeeper.ssl.keyStore.type", "PKCS12");
        }
        config.setProperty("zookeeper.ssl.trustStore.location", certs.clientTrust.toString());
        config.setProperty("zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD);
        config.setProperty("zookeeper.ssl.trustStore.type", "PKCS12");
        return config;
    }

    private static ZooKeeper connect(TestServer server, ZKClientConfig config, Clients.Recorder recorder)
            throws Exception {
        return new ZooKeeper("127.0.0.1:" + server.server.securePort(), 30_000, recorder, config);
    }

    private static ZooKeeper connected(TestServer server, Path keyStore) throws Exception {
        Clients.Recorder recorder = new Clients.Recorder();
        ZooKeeper zk = connect(server, tlsClient(keyStore), recorder);
        if (!recorder.connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("the TLS client did not connect");
        }
        return zk;
    }

    @Test
    void tlsAndPlainClientsSideBySideAndX509AclsApply() throws Exception {
        try (TestServer server = server(TlsSettings.ClientAuth.NEED)) {
            assertTrue(server.server.securePort() > 0 && server.server.securePort() != server.port());
            // conf names the TLS port as ZooKeeper's does (its getSecureClientPort(), -1 without one)
            String conf = FourLetterWordTest.send(server.port(), "conf");
            assertTrue(conf.startsWith("clientPort=" + server.port() + "\nsecureClientPort="
                    + server.server.securePort() + "\n"), conf);
            ZooKeeper tls = connected(server, certs.clientKeys);
            ZooKeeper plain = Clients.connect(server, new Clients.Recorder());
            try {
                List<ClientInfo> me = tls.whoAmI();
                assertTrue(me.contains(new ClientInfo("x509", TestCertificates.CLIENT_DN)), me.toString());
                assertFalse(plain.whoAmI().stream().anyMatch(i -> i.getAuthScheme().equals("x509")));

                // a mutable list: the client's ACL check asks it whether it contains null
                List<ACL> onlyClient = new java.util.ArrayList<>(List.of(
                        new ACL(ZooDefs.Perms.ALL, new Id("x509", TestCertificates.CLIENT_DN))));
                tls.create("/tls-only", new byte[] {7}, onlyClient, CreateMode.PERSISTENT);
                assertArrayEquals(new byte[] {7}, tls.getData("/tls-only", false, null));
                assertThrows(KeeperException.NoAuthException.class, () -> plain.getData("/tls-only", false, null));

                // the auth scheme stands for the creator's certificate id
                tls.create("/creator", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
                assertEquals(onlyClient, tls.getACL("/creator", null));

                plain.create("/plain", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertArrayEquals(new byte[] {1}, tls.getData("/plain", false, null));
            } finally {
                tls.close();
                plain.close();
            }
        }
    }

    /** ZooKeeper's PEM stores: the server's key and certificate in one PEM file, its trust anchors in another. */
    @Test
    void pemKeyAndTrustFilesServeTheRealClient() throws Exception {
        Path keys = certs.pem(certs.serverKeys, true);
        Path trust = certs.pem(certs.serverTrust, false);
        try (TestServer server = TestServer.start(c -> c.secureClientPort(0).tls(TlsSettings.of(keys.toString(),
                TestCertificates.PASSWORD, trust.toString(), null, TlsSettings.ClientAuth.NEED)))) {
            ZooKeeper tls = connected(server, certs.clientKeys);
            try {
                List<ClientInfo> me = tls.whoAmI();
                assertTrue(me.contains(new ClientInfo("x509", TestCertificates.CLIENT_DN)), me.toString());
                tls.create("/pem", new byte[] {5}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertArrayEquals(new byte[] {5}, tls.getData("/pem", false, null));
            } finally {
                tls.close();
            }
        }
        IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(certs.serverKeys.toString(), TestCertificates.PASSWORD, "PEM", null, null,
                        null, TlsSettings.ClientAuth.NEED, null, null, null).engines());
        assertTrue(notPem.getMessage().startsWith("ssl.keyStore.location: cannot load " + certs.serverKeys
                + " as PEM"), notPem.getMessage());
    }

    /**
     * What TLS clients see, as text: the x509 ids of a client with a trusted certificate, what its x509 ACL and a
     * creator ACL allow and show, and whether clients with an untrusted certificate or none get a session.
     */
    private static List<String> tlsStory(String tlsConnect, String plainConnect) throws Exception {
        List<String> story = new java.util.ArrayList<>();
        Clients.Recorder recorder = new Clients.Recorder();
        ZooKeeper tls = new ZooKeeper(tlsConnect, 30_000, recorder, tlsClient(certs.clientKeys));
        ZooKeeper plain = Clients.connect(plainConnect, 30_000, new Clients.Recorder());
        try {
            assertTrue(recorder.connected.await(20, TimeUnit.SECONDS), "TLS client not connected");
            story.add("x509 ids: " + tls.whoAmI().stream().filter(i -> i.getAuthScheme().equals("x509"))
                    .map(ClientInfo::getUser).toList());
            List<ACL> onlyClient = new java.util.ArrayList<>(List.of(
                    new ACL(ZooDefs.Perms.ALL, new Id("x509", TestCertificates.CLIENT_DN))));
            tls.create("/story-x509", new byte[] {7}, onlyClient, CreateMode.PERSISTENT);
            story.add("owner reads " + tls.getData("/story-x509", false, null).length + " byte");
            try {
                plain.getData("/story-x509", false, null);
                story.add("plain client reads it");
            } catch (KeeperException e) {
                story.add("plain client: " + e.code());
            }
            tls.create("/story-creator", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            story.add("creator ACL: " + tls.getACL("/story-creator", null));
        } finally {
            tls.close();
            plain.close();
        }
        for (Path keys : new Path[] {certs.strangerKeys, null}) {
            Clients.Recorder other = new Clients.Recorder();
            ZooKeeper zk = new ZooKeeper(tlsConnect, 30_000, other, tlsClient(keys));
            try {
                story.add((keys == null ? "no" : "untrusted") + " certificate: "
                        + (other.connected.await(2, TimeUnit.SECONDS) ? "connected" : "no session"));
            } finally {
                zk.close();
            }
        }
        return story;
    }

    @Test
    void tlsClientsSeeWhatTheySeeOnARealZooKeeper() throws Exception {
        List<String> zooKeeper;
        try (RealZooKeeper real = new RealZooKeeper()) {
            int securePort = real.startSecurePort(java.util.Map.of(
                    "zookeeper.ssl.keyStore.location", certs.serverKeys.toString(),
                    "zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD,
                    "zookeeper.ssl.trustStore.location", certs.serverTrust.toString(),
                    "zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD));
            zooKeeper = tlsStory("127.0.0.1:" + securePort, real.connectString());
        }
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger connectionLog = (Logger) LoggerFactory.getLogger(Connection.class);
        log.start();
        connectionLog.addAppender(log);
        try (TestServer server = server(TlsSettings.ClientAuth.NEED)) {
            assertEquals(zooKeeper, tlsStory("127.0.0.1:" + server.server.securePort(), server.connectString()));
            assertTrue(log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("TLS handshake failed")),
                    "a refused TLS client gets a log line: " + log.list);
        } finally {
            connectionLog.detachAppender(log);
        }
        assertEquals(List.of("x509 ids: [" + TestCertificates.CLIENT_DN + "]", "owner reads 1 byte",
                "plain client: NOAUTH", "creator ACL: " + List.of(new ACL(ZooDefs.Perms.ALL, new Id("x509", TestCertificates.CLIENT_DN))),
                "untrusted certificate: no session", "no certificate: no session"), zooKeeper);
    }

    @Test
    void withClientAuthNoneAClientWithoutACertificateIsServedWithoutX509Id() throws Exception {
        try (TestServer server = server(TlsSettings.ClientAuth.NONE)) {
            ZooKeeper tls = connected(server, null);
            try {
                assertTrue(tls.whoAmI().stream().noneMatch(i -> i.getAuthScheme().equals("x509")));
                tls.create("/anon", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } finally {
                tls.close();
            }
        }
    }

    @Test
    void plainProtocolOnTheTlsPortIsClosed() throws Exception {
        try (TestServer server = server(TlsSettings.ClientAuth.NEED);
                RawClient raw = new RawClient(server.server.securePort())) {
            raw.send(RawClient.frame(RawClient.newSession(true)));
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void unusableSettingsFailTheStartNamingTheKey() {
        IllegalArgumentException wrongPassword = assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(c -> c.secureClientPort(0).tls(TlsSettings.of(certs.serverKeys.toString(),
                        "wrong", null, null, TlsSettings.ClientAuth.NEED))));
        assertTrue(wrongPassword.getMessage().startsWith("ssl.keyStore.location"), wrongPassword.getMessage());
        IllegalArgumentException noSettings = assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(c -> c.secureClientPort(0)));
        assertTrue(noSettings.getMessage().contains("needs the TLS settings"), noSettings.getMessage());
        IllegalArgumentException badProtocol = assertThrows(IllegalArgumentException.class,
                () -> TestServer.start(c -> c.secureClientPort(0).tls(new TlsSettings(certs.serverKeys.toString(),
                        TestCertificates.PASSWORD, null, null, null, null, null, "TLSv1.3", List.of("SSLv2"), null))));
        assertEquals("ssl.enabledProtocols: SSLv2 is not supported by this JVM", badProtocol.getMessage());
    }
}
