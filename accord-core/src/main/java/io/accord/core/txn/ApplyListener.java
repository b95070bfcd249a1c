package io.accord.core.txn;

/**
 * Told about every applied request, in log order, on the apply thread and while readers are still held back
 * (the replica's write lock is held). That is where a node queues watch notifications to its connections, so
 * that no client can read the new state before its notification is queued (ZooKeeper guarantee 3).
 * Implementations must be quick and must not block: hand work off to other threads.
 */
@FunctionalInterface
public interface ApplyListener {
    ApplyListener NONE = applied -> {
    };

    void onApplied(Applied applied);
}
