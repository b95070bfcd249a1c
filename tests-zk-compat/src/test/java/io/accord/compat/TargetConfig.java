package io.accord.compat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * How a target is configured for one test class or test. The defaults mirror the reference setup of
 * PROTOCOL.md (tickTime 2000, session timeouts 4000..40000).
 *
 * @param tickTimeMs              ZooKeeper {@code tickTime}
 * @param minSessionTimeoutMs     {@code minSessionTimeout}; the server clamps requests into [min, max]
 * @param maxSessionTimeoutMs     {@code maxSessionTimeout}
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are reaped
 * @param extendedTypesEnabled    {@code zookeeper.extendedTypesEnabled}: TTL nodes allowed (on everywhere but in the
 *                                test of the switch itself, {@link #withExtendedTypes})
 */
public record TargetConfig(int tickTimeMs, int minSessionTimeoutMs, int maxSessionTimeoutMs, int containerCheckIntervalMs,
                           boolean extendedTypesEnabled) {

    /** Password of the super user ({@code addAuthInfo("digest", "super:" + SUPER_PASSWORD)}). */
    public static final String SUPER_PASSWORD = "super-secret";

    /** {@code zookeeper.DigestAuthenticationProvider.superDigest} every target must be started with. */
    public static final String SUPER_DIGEST = digestId("super", SUPER_PASSWORD);

    /** Interval at which every target reaps containers and TTL nodes (ZooKeeper default: 60 s). */
    public static final int CONTAINER_CHECK_INTERVAL_MS = 100;

    public TargetConfig {
        if (tickTimeMs <= 0) {
            throw new IllegalArgumentException("tickTimeMs: " + tickTimeMs + " (expected: > 0)");
        }
        if (minSessionTimeoutMs > maxSessionTimeoutMs) {
            throw new IllegalArgumentException("minSessionTimeoutMs: " + minSessionTimeoutMs
                + " (expected: <= maxSessionTimeoutMs " + maxSessionTimeoutMs + ")");
        }
    }

    /** tickTime 2000, sessions 4000..40000, as in PROTOCOL.md's probes. */
    public static TargetConfig defaults() {
        return new TargetConfig(2000, 4000, 40000, CONTAINER_CHECK_INTERVAL_MS, true);
    }

    /** A short tick so that session expiry can be observed in about a second. */
    public static TargetConfig fastExpiry() {
        return new TargetConfig(250, 500, 10000, CONTAINER_CHECK_INTERVAL_MS, true);
    }

    /** This configuration with TTL nodes allowed or not. */
    public TargetConfig withExtendedTypes(boolean enabled) {
        return new TargetConfig(tickTimeMs, minSessionTimeoutMs, maxSessionTimeoutMs, containerCheckIntervalMs, enabled);
    }

    /** The digest ACL id ZooKeeper derives from {@code user:password}: {@code user:base64(sha1(user:password))}. */
    public static String digestId(String user, String password) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
