package io.accord.zk.server;

import java.util.Objects;

/**
 * What a node reports as its role: {@code srvr}'s {@code Mode:}, {@code mntr}'s {@code zk_server_state} and, on a
 * leader, the follower figures. The cluster layer supplies one that follows its elections ({@link
 * ZkServer.Context#role}); a node alone is {@link #STANDALONE}. Called from network threads at any time: an
 * implementation reads volatile state and never blocks.
 */
public interface ServerRole {
    /** A node that is not part of an ensemble. */
    ServerRole STANDALONE = fixed("standalone");

    /**
     * ZooKeeper's state names: {@code standalone}, {@code leader}, {@code follower}, {@code observer},
     * {@code read-only}.
     */
    String state();

    /**
     * On a leader, the other members that follow it ({@code zk_learners}, and {@code zk_followers} as ZooKeeper
     * before 3.6 and Solr's status page name it); only read when {@link #state()} is {@code leader}.
     */
    default int followers() {
        return 0;
    }

    /** On a leader, the followers that are in sync with it ({@code zk_synced_followers}). */
    default int syncedFollowers() {
        return 0;
    }

    /** On a leader, how long it has led, in ms ({@code zk_leader_uptime}). */
    default long leaderUptimeMs() {
        return 0;
    }

    /** On an ensemble member, the number of voting members ({@code zk_quorum_size}); 0 when alone. */
    default int quorumSize() {
        return 0;
    }

    /** A role that never changes. */
    static ServerRole fixed(String state) {
        Objects.requireNonNull(state, "state");
        return () -> state;
    }
}
