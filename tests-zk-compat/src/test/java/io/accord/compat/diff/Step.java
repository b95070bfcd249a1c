package io.accord.compat.diff;

import org.apache.zookeeper.ZooKeeper;

/**
 * One operation of a differential run, with every random choice already drawn, so that it does the
 * same thing on both sides. {@link Action#run} returns the normalized outcome to compare.
 *
 * @param slot            the session slot that runs it
 * @param description     what it does, for failure reports
 * @param unorderedEvents the watch events it causes come in no specified order (a session close deletes
 *                        ephemerals in hash-set order; a reconnect's catch-up events follow the client's
 *                        watch tables), so each session's events are compared sorted
 * @param action          the operation
 */
record Step(int slot, String description, boolean unorderedEvents, Action action) {

    Step(int slot, String description, Action action) {
        this(slot, description, false, action);
    }

    @FunctionalInterface
    interface Action {
        String run(Side side, ZooKeeper zk) throws Exception;
    }

    @Override
    public String toString() {
        return "s" + slot + ": " + description;
    }
}
