package io.accord.compat;

import java.util.Set;

/**
 * A ZooKeeper-protocol server that the compatibility suites run against: the real ZooKeeper
 * (the oracle) or Accord (the subject). Every suite drives it only through its client port, with the
 * real ZooKeeper client or Curator, so the same assertions hold for every target.
 *
 * <p>Lifecycle: {@link #start()} once, then any number of {@link #restart()}, then {@link #close()}.
 * {@code close()} must be safe to call at any point, also after a failed {@code start()}, and must
 * release every port, thread and directory the target owns.
 *
 * <p>What a target must be configured with (see {@link TargetConfig}): the tick time and session
 * timeout bounds, the super digest {@link TargetConfig#SUPER_DIGEST}, TTL nodes enabled (unless
 * {@link TargetConfig#extendedTypesEnabled()} is off), every
 * four-letter word allowed, and empty containers / expired TTL nodes reaped within
 * {@link TargetConfig#containerCheckIntervalMs()}.
 */
public interface ServerTarget extends AutoCloseable {

    /** Optional abilities; a test that needs one is skipped (with a reason) on targets without it. */
    enum Capability {
        /**
         * {@link #restart()} stops the whole server and starts it again on the same port and data,
         * keeping every znode and every live session (clients reconnect with their session id).
         */
        RESTART
    }

    /** Short name for test reports, e.g. {@code zookeeper-3.9.5} or {@code accord-1node}. */
    String name();

    /** Starts the server and returns once it accepts client connections. */
    void start() throws Exception;

    /** {@code host:port[,host:port...]} for {@link org.apache.zookeeper.ZooKeeper}; valid after {@link #start()}. */
    String connectString();

    /**
     * Stops and starts again, same port, same data (only with {@link Capability#RESTART}; otherwise
     * throws {@link IllegalStateException}; tests check {@link #supports} first).
     */
    void restart() throws Exception;

    /** The abilities of this target. */
    Set<Capability> capabilities();

    /**
     * Whether the target is an ensemble of several servers (its four-letter words then report
     * {@code leader}/{@code follower} instead of {@code standalone}, as a ZooKeeper quorum member does).
     */
    default boolean ensemble() {
        return false;
    }

    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }

    /** Stops the server and deletes what it created. Never throws. */
    @Override
    void close();
}
