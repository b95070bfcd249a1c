package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ZooCfg;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** zoo.cfg's secureClientPort and ssl.* keys reach the client port: {@code accord server} serves TLS beside plain. */
@Timeout(120)
class AccordServerTlsTest {
    private static final String PASSWORD = "tools-secret";

    @TempDir
    Path dir;

    private Properties zooCfg() throws java.io.IOException {
        Properties p = new Properties();
        p.load(new java.io.StringReader("""
                tickTime=2000
                clientPort=0
                clientPortAddress=127.0.0.1
                admin.enableServer=false
                accord.mode=memory
                secureClientPort=0
                serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory
                ssl.keyStore.password=%s
                ssl.clientAuth=none
                """.formatted(PASSWORD)));
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("ssl.keyStore.location", dir.resolve("server.p12").toString());
        return p;
    }

    @Test
    void theTlsPortFromZooCfgServes() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-validity", "2", "-keystore", dir.resolve("server.p12").toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        try (AccordServer server = AccordServer.start(ZooCfg.parse(zooCfg(), Path.of("."), w -> { }))) {
            assertTrue(server.awaitServing(Duration.ofSeconds(60)), "not serving within 60 s");
            int securePort = server.secureClientPort();
            assertTrue(securePort > 0);
            assertTrue(srvrOverTls(securePort).startsWith("Zookeeper version:"));
        }
    }

    @Test
    void anUnreadableKeyStoreIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AccordServer.start(ZooCfg.parse(zooCfg(), Path.of("."), w -> { })));
        assertTrue(e.getMessage().startsWith("ssl.keyStore.location: cannot load "), e.getMessage());
    }

    /** The {@code srvr} four-letter word over TLS (the test trusts any server certificate). */
    private static String srvrOverTls(int port) throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), output);
    }
}
