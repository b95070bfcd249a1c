package io.accord.core;

/**
 * Settings of the state machine. They must be identical on every replica of a cluster, because they change what
 * apply does.
 *
 * @param maxDataBytes               the largest znode value accepted (ZooKeeper's {@code jute.maxbuffer},
 *                                   default 1,048,575); larger values are rejected with MARSHALLINGERROR
 * @param extendedTypesEnabled       {@code zookeeper.extendedTypesEnabled}: TTL nodes allowed
 * @param skipAcl                    {@code zookeeper.skipACL=yes}: no permission checks at all
 * @param containerCheckIntervalMs   {@code znode.container.checkIntervalMs}: how often a tick looks for empty
 *                                   containers and expired TTL nodes (ZooKeeper default 60000)
 * @param containerMaxPerMinute      {@code znode.container.maxPerMinute}: removals per minute at most (10000)
 * @param maxNeverUsedIntervalMs     {@code znode.container.maxNeverUsedIntervalMs}: a container that never had a
 *                                   child is removed after this long since its mtime; 0 = never (default)
 */
public record CoreConfig(
        int maxDataBytes,
        boolean extendedTypesEnabled,
        boolean skipAcl,
        long containerCheckIntervalMs,
        int containerMaxPerMinute,
        long maxNeverUsedIntervalMs) {

    public static final int DEFAULT_MAX_DATA_BYTES = 0xfffff;

    public CoreConfig {
        if (maxDataBytes <= 0) {
            throw new IllegalArgumentException("maxDataBytes: " + maxDataBytes + " (expected: > 0)");
        }
        if (containerCheckIntervalMs <= 0) {
            throw new IllegalArgumentException(
                    "containerCheckIntervalMs: " + containerCheckIntervalMs + " (expected: > 0)");
        }
        if (containerMaxPerMinute <= 0) {
            throw new IllegalArgumentException(
                    "containerMaxPerMinute: " + containerMaxPerMinute + " (expected: > 0)");
        }
        if (maxNeverUsedIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "maxNeverUsedIntervalMs: " + maxNeverUsedIntervalMs + " (expected: >= 0)");
        }
    }

    /** ZooKeeper's defaults, with extended types (TTL) enabled as most deployments that use them do. */
    public static CoreConfig defaults() {
        return new CoreConfig(DEFAULT_MAX_DATA_BYTES, true, false, 60_000, 10_000, 0);
    }

    public CoreConfig withExtendedTypesEnabled(boolean enabled) {
        return new CoreConfig(maxDataBytes, enabled, skipAcl, containerCheckIntervalMs, containerMaxPerMinute,
                maxNeverUsedIntervalMs);
    }

    public CoreConfig withContainerCheckIntervalMs(long intervalMs) {
        return new CoreConfig(maxDataBytes, extendedTypesEnabled, skipAcl, intervalMs, containerMaxPerMinute,
                maxNeverUsedIntervalMs);
    }

    public CoreConfig withMaxDataBytes(int bytes) {
        return new CoreConfig(bytes, extendedTypesEnabled, skipAcl, containerCheckIntervalMs, containerMaxPerMinute,
                maxNeverUsedIntervalMs);
    }

    public CoreConfig withSkipAcl(boolean skip) {
        return new CoreConfig(maxDataBytes, extendedTypesEnabled, skip, containerCheckIntervalMs,
                containerMaxPerMinute, maxNeverUsedIntervalMs);
    }
}
