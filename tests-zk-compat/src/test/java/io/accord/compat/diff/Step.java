package io.accord.compat.diff;

import org.apache.zookeeper.ZooKeeper;

/**
 * One operation of a differential run, with every random choice already drawn, so that it does the
 * same thing on both sides. {@link Action#run} returns the normalized outcome to compare.
 *
 * @param slot        the session slot that runs it
 * @param description what it does, for failure reports
 * @param action      the operation
 */
record Step(int slot, String description, Action action) {

    @FunctionalInterface
    interface Action {
        String run(Side side, ZooKeeper zk) throws Exception;
    }

    @Override
    public String toString() {
        return "s" + slot + ": " + description;
    }
}
