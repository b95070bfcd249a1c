package io.accord.zk.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the client port {@code secureClientPort}, from ZooKeeper's {@code ssl.*} keys (ZooKeeper's
 * {@code X509Util}): {@code ssl.keyStore.location/password/type}, {@code ssl.trustStore.location/password/type},
 * {@code ssl.clientAuth}, {@code ssl.protocol}, {@code ssl.enabledProtocols} and {@code ssl.ciphersuites}.
 *
 * <p>Defaults as ZooKeeper 3.9 has them: client certificates are required ({@code need}); the protocol is TLSv1.3
 * when the JVM has it (else TLSv1.2) and with TLSv1.3, TLSv1.2 is enabled too; the cipher suites are the JVM's;
 * without a trust store the JVM's default trust anchors check client certificates. Store types are
 * {@code JKS}, {@code PKCS12} or {@code PEM}, taken from the file name ({@code .jks}, {@code .p12}, {@code .pfx},
 * {@code .pem}) when not given. A PEM key store holds the private key (PKCS#8, encrypted with the key store password
 * or not) and the certificate chain in one file, a PEM trust store the trusted certificates, as in ZooKeeper; Netty
 * reads them. ({@code BCFKS} needs the BouncyCastle FIPS provider, which Accord does not ship.) A client that presents a certificate is authenticated as {@code x509:<subject DN>} (RFC 2253), as
 * ZooKeeper's {@code X509AuthenticationProvider} does, so ACLs with {@code x509} ids apply to it.
 *
 * @param keyStoreLocation   the server's key and certificate (required)
 * @param keyStorePassword   may be null (an empty password)
 * @param keyStoreType       {@code JKS}, {@code PKCS12}, or null to go by the file name
 * @param trustStoreLocation trust anchors for client certificates, or null for the JVM's
 * @param clientAuth         whether client certificates are asked for
 * @param protocol           the SSLContext protocol, or null for the default
 * @param enabledProtocols   the protocols offered, or null/empty for the default
 * @param cipherSuites       the cipher suites offered, or null/empty for the JVM's defaults
 */
public record TlsSettings(String keyStoreLocation, String keyStorePassword, String keyStoreType,
                          String trustStoreLocation, String trustStorePassword, String trustStoreType,
                          ClientAuth clientAuth, String protocol, List<String> enabledProtocols,
                          List<String> cipherSuites) {

    /** ZooKeeper's {@code ssl.clientAuth}: none, want or need (the default). */
    public enum ClientAuth {
        NONE, WANT, NEED;

        /** Parses a {@code ssl.clientAuth} value; null or empty is {@link #NEED}, as in ZooKeeper. */
        public static ClientAuth of(String value) {
            if (value == null || value.isBlank()) {
                return NEED;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ssl.clientAuth: " + value + " (expected: none, want or need)");
            }
        }
    }

    public TlsSettings {
        Objects.requireNonNull(keyStoreLocation, "ssl.keyStore.location");
        clientAuth = clientAuth == null ? ClientAuth.NEED : clientAuth;
        enabledProtocols = enabledProtocols == null ? List.of() : List.copyOf(enabledProtocols);
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    }

    /** Settings with only a key store and the client-certificate policy; every other setting at its default. */
    public static TlsSettings of(String keyStore, String password, String trustStore, String trustPassword,
                                 ClientAuth clientAuth) {
        return new TlsSettings(keyStore, password, null, trustStore, trustPassword, null, clientAuth, null, null,
                null);
    }

    /**
     * ZooKeeper's default protocol: TLSv1.3 when this JVM supports it, else TLSv1.2.
     */
    static String defaultProtocol() {
        try {
            return Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getProtocols())
                    .contains("TLSv1.3") ? "TLSv1.3" : "TLSv1.2";
        } catch (GeneralSecurityException e) {
            return "TLSv1.2";
        }
    }

    /**
     * Loads the stores and builds the context: what fails here (a missing file, a wrong password, an unknown
     * protocol) fails the server's start with a message naming the setting.
     */
    Engines engines() {
        String proto = protocol == null || protocol.isBlank() ? defaultProtocol() : protocol;
        List<String> protocols = !enabledProtocols.isEmpty() ? enabledProtocols
                : proto.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(proto);
        boolean pemKeys = storeType("ssl.keyStore", keyStoreLocation, keyStoreType).equals("PEM");
        boolean hasTrust = trustStoreLocation != null && !trustStoreLocation.isBlank();
        boolean pemTrust = hasTrust && storeType("ssl.trustStore", trustStoreLocation, trustStoreType).equals("PEM");
        if (pemKeys || pemTrust) {
            return pemEngines(proto, protocols, pemKeys, hasTrust, pemTrust);
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load("ssl.keyStore", keyStoreLocation, keyStorePassword, keyStoreType),
                    chars(keyStorePassword));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStoreLocation == null || trustStoreLocation.isBlank() ? null
                    : load("ssl.trustStore", trustStoreLocation, trustStorePassword, trustStoreType));
            SSLContext context;
            try {
                context = SSLContext.getInstance(proto);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("ssl.protocol: " + proto + " is not supported by this JVM");
            }
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            SSLParameters supported = context.getSupportedSSLParameters();
            check("ssl.enabledProtocols", protocols, supported.getProtocols());
            check("ssl.ciphersuites", cipherSuites, supported.getCipherSuites());
            return new Engines(context, null, protocols.toArray(String[]::new),
                    cipherSuites.isEmpty() ? null : cipherSuites.toArray(String[]::new), clientAuth);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS settings: " + e.getMessage(), e);
        }
    }

    /** A context built by Netty, which reads PEM files; the other store, if any, is loaded as above. */
    private Engines pemEngines(String proto, List<String> protocols, boolean pemKeys, boolean hasTrust,
                               boolean pemTrust) {
        try {
            SslContextBuilder builder;
            if (pemKeys) {
                File pem = new File(keyStoreLocation);
                String password = encryptedPem(pem) ? keyStorePassword : null;
                builder = SslContextBuilder.forServer(pem, pem, password);
            } else {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load("ssl.keyStore", keyStoreLocation, keyStorePassword, keyStoreType),
                        chars(keyStorePassword));
                builder = SslContextBuilder.forServer(keys);
            }
            if (pemTrust) {
                builder.trustManager(new File(trustStoreLocation));
            } else if (hasTrust) {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load("ssl.trustStore", trustStoreLocation, trustStorePassword, trustStoreType));
                builder.trustManager(trust);
            }
            SSLParameters supported;
            try {
                SSLContext probe = SSLContext.getInstance(proto);
                probe.init(null, null, null); // only to ask what this JVM supports
                supported = probe.getSupportedSSLParameters();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("ssl.protocol: " + proto + " is not supported by this JVM");
            }
            check("ssl.enabledProtocols", protocols, supported.getProtocols());
            check("ssl.ciphersuites", cipherSuites, supported.getCipherSuites());
            io.netty.handler.ssl.SslContext context = builder.sslProvider(SslProvider.JDK)
                    .protocols(protocols)
                    .ciphers(cipherSuites.isEmpty() ? null : cipherSuites)
                    .clientAuth(switch (clientAuth) {
                        case NEED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                        case WANT -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                        default -> io.netty.handler.ssl.ClientAuth.NONE;
                    })
                    .build();
            return new Engines(null, context, protocols.toArray(String[]::new),
                    cipherSuites.isEmpty() ? null : cipherSuites.toArray(String[]::new), clientAuth);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS settings: " + e.getMessage(), e);
        } catch (SSLException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("ssl.")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException((pemKeys ? "ssl.keyStore.location: cannot load " + keyStoreLocation
                    : "ssl.trustStore.location: cannot load " + trustStoreLocation) + " as PEM: " + e.getMessage(),
                    e);
        }
    }

    /** True when the PEM file's private key is encrypted (then the key store password decrypts it). */
    private static boolean encryptedPem(File pem) {
        try {
            return new String(Files.readAllBytes(pem.toPath()), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("ENCRYPTED PRIVATE KEY"); // any bytes decode: a file that is not PEM fails later
        } catch (IOException e) {
            throw new IllegalArgumentException("ssl.keyStore.location: cannot read " + pem + ": " + e.getMessage(),
                    e);
        }
    }

    private static void check(String key, List<String> wanted, String[] supported) {
        List<String> known = Arrays.asList(supported);
        for (String w : wanted) {
            if (!known.contains(w)) {
                throw new IllegalArgumentException(key + ": " + w + " is not supported by this JVM");
            }
        }
    }

    private static String storeType(String key, String location, String type) {
        String storeType = type != null && !type.isBlank() ? type.trim().toUpperCase(Locale.ROOT) : typeOf(key, location);
        if (!storeType.equals("JKS") && !storeType.equals("PKCS12") && !storeType.equals("PEM")) {
            throw new IllegalArgumentException(key + ".type: " + storeType + " (expected: JKS, PKCS12 or PEM)");
        }
        return storeType;
    }

    private static KeyStore load(String key, String location, String password, String type) {
        String storeType = storeType(key, location, type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(storeType);
            store.load(in, chars(password));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ".location: cannot load " + location + " as " + storeType + ": "
                    + e.getMessage(), e);
        }
    }

    private static String typeOf(String key, String location) {
        String name = location.toLowerCase(Locale.ROOT);
        if (name.endsWith(".jks")) {
            return "JKS";
        }
        if (name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12")) {
            return "PKCS12";
        }
        if (name.endsWith(".pem")) {
            return "PEM";
        }
        throw new IllegalArgumentException(key + ".type is not set and " + location
                + " does not name it (.jks, .p12, .pfx, .pem): set it to JKS, PKCS12 or PEM");
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** A built context (the JDK's, or Netty's for PEM files) that makes one server-side engine per connection. */
    record Engines(SSLContext context, io.netty.handler.ssl.SslContext nettyContext, String[] protocols,
                   String[] cipherSuites, ClientAuth clientAuth) {
        SSLEngine newEngine() {
            if (nettyContext != null) { // protocols, cipher suites and client auth were given to its builder
                return nettyContext.newEngine(ByteBufAllocator.DEFAULT);
            }
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setEnabledProtocols(protocols);
            if (cipherSuites != null) {
                engine.setEnabledCipherSuites(cipherSuites);
            }
            switch (clientAuth) {
                case NEED -> engine.setNeedClientAuth(true);
                case WANT -> engine.setWantClientAuth(true);
                default -> engine.setNeedClientAuth(false);
            }
            return engine;
        }
    }
}
