package io.accord.zk.server;

import io.accord.core.acl.Id;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The authentication providers a default ZooKeeper has: {@code digest} ({@code addAuth("digest", "user:pw")}
 * yields {@code digest:user:base64(sha1("user:pw"))}, and never fails) and {@code ip} (yields the remote address).
 * A digest equal to the configured super digest also yields {@code super:}. Every other scheme fails (AUTHFAILED).
 */
final class Auth {
    static final String DIGEST = "digest";
    static final String IP = "ip";
    /** Set from a TLS client certificate, never by an auth packet. */
    static final String X509 = "x509";

    private Auth() {
    }

    /** ZooKeeper's {@code DigestAuthenticationProvider.generateDigest}: {@code user:base64(sha1(user:password))}. */
    static String digest(String idPassword) {
        int colon = idPassword.indexOf(':');
        String user = colon < 0 ? idPassword : idPassword.substring(0, colon);
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA1").digest(idPassword.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1 is required of every JVM", e);
        }
    }

    /**
     * The ids an auth packet adds, or null if the scheme has no provider.
     *
     * @param superDigest {@code super:<base64 sha1>} or null
     */
    static List<Id> authenticate(String scheme, byte[] auth, String remoteIp, String superDigest) {
        if (DIGEST.equals(scheme)) {
            String id = digest(auth == null ? "" : new String(auth, StandardCharsets.UTF_8));
            List<Id> ids = new ArrayList<>(2);
            ids.add(new Id(DIGEST, id));
            if (id.equals(superDigest)) {
                ids.add(Id.SUPER);
            }
            return ids;
        }
        if (IP.equals(scheme)) {
            return List.of(new Id(IP, remoteIp));
        }
        return null;
    }

    /** whoAmI's user for an id: the part before ':' for digest, "" for super, else the id itself. */
    static String user(Id id) {
        if (DIGEST.equals(id.scheme())) {
            int colon = id.id().indexOf(':');
            return colon < 0 ? id.id() : id.id().substring(0, colon);
        }
        return id.id();
    }
}
