package io.accord.zk.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed key pairs in PKCS12 stores, made with this JDK's keytool: a server certificate for 127.0.0.1 and
 * localhost, two client certificates (one trusted by the server, one not), and the trust stores that go with them.
 */
final class TestCertificates {
    static final String PASSWORD = "test-secret";
    static final String CLIENT_DN = "CN=client one,OU=Accord,O=Example";
    static final String STRANGER_DN = "CN=stranger,O=Elsewhere";

    final Path dir;
    final Path serverKeys;
    final Path serverTrust;
    final Path clientKeys;
    final Path clientTrust;
    final Path strangerKeys;

    private TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        serverKeys = dir.resolve("server.p12");
        serverTrust = dir.resolve("server-trust.p12");
        clientKeys = dir.resolve("client.p12");
        clientTrust = dir.resolve("client-trust.p12");
        strangerKeys = dir.resolve("stranger.p12");
        keyPair(serverKeys, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair(clientKeys, "client", CLIENT_DN, null);
        keyPair(strangerKeys, "stranger", STRANGER_DN, null);
        trust(serverKeys, "server", clientTrust);
        trust(clientKeys, "client", serverTrust);
    }

    /**
     * Writes the PEM form of a PKCS12 store made here: its private key (unencrypted PKCS#8) and certificate when
     * {@code withKey}, else only its certificates (a trust store); the file is named after the store.
     */
    Path pem(Path store, boolean withKey) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        StringBuilder text = new StringBuilder("A PEM file made by the Accord tests\n");
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (String alias : java.util.Collections.list(ks.aliases())) {
            if (withKey && ks.isKeyEntry(alias)) {
                text.append("-----BEGIN PRIVATE KEY-----\n")
                        .append(base64.encodeToString(ks.getKey(alias, PASSWORD.toCharArray()).getEncoded()))
                        .append("\n-----END PRIVATE KEY-----\n");
            }
            text.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(ks.getCertificate(alias)
                    .getEncoded())).append("\n-----END CERTIFICATE-----\n");
        }
        String name = store.getFileName().toString().replace(".p12", ".pem");
        return Files.writeString(dir.resolve(name), text.toString(), StandardCharsets.US_ASCII);
    }

    static TestCertificates create() throws Exception {
        return new TestCertificates(Files.createTempDirectory("accord-tls"));
    }

    void delete() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private void keyPair(Path store, String alias, String dn, String extension) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dn, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args);
    }

    private void trust(Path keys, String alias, Path trustStore) throws Exception {
        Path certificate = dir.resolve(alias + ".cer");
        keytool(List.of("-exportcert", "-alias", alias, "-keystore", keys.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args + " failed: " + output);
        }
    }
}
