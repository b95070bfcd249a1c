package io.accord.core.tree;

/**
 * A znode's metadata exactly as a client sees it in ZooKeeper's {@code Stat} record (68 bytes on the wire,
 * fields in this order). {@code cversion} is the visible value (child creates plus child deletes), and
 * {@code ephemeralOwner} is 0 for container and TTL nodes, as ZooKeeper reports them.
 */
public record Stat(
        long czxid,
        long mzxid,
        long ctime,
        long mtime,
        int version,
        int cversion,
        int aversion,
        long ephemeralOwner,
        int dataLength,
        int numChildren,
        long pzxid) {
}
