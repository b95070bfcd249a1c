package io.accord.core.image;

/**
 * One znode as stored in a snapshot or a checkpoint: everything needed to rebuild it exactly.
 *
 * @param path           absolute path ({@code /} for the root)
 * @param data           null and empty are distinct
 * @param cversionCounter ZooKeeper's stored child-create counter {@code C} (visible cversion is
 *                       {@code 2*C - numChildren}; sequential suffixes come from C)
 * @param ephemeralOwner the raw stored value: a session id, 0, {@code Long.MIN_VALUE} for a container, or
 *                       {@code 0xFF00000000000000L | ttl} for a TTL node
 * @param aclId          the id of the node's ACL list in the image's ACL table
 */
public record NodeImage(
        String path,
        byte[] data,
        long czxid,
        long mzxid,
        long pzxid,
        long ctime,
        long mtime,
        int version,
        int cversionCounter,
        int aversion,
        long ephemeralOwner,
        int aclId) {
}
