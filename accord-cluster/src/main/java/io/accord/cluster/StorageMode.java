package io.accord.cluster;

/** How a member keeps its data (DESIGN.md, "Storage modes"). */
public enum StorageMode {
    /**
     * The default: the Aeron archive and consensus module fsync the log before a write is acknowledged (a
     * committed write is on disk on a majority), and Xodus holds a materialized copy of the tree that a restart
     * loads before replaying the log after its position.
     */
    PERSISTENT,
    /**
     * No fsync anywhere and no Xodus: durability by replication only (a majority must lose power at once to lose
     * data). A restarted member rebuilds its tree from its local log and snapshots, or from the other members.
     */
    MEMORY
}
