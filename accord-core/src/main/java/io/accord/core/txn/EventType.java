package io.accord.core.txn;

/** ZooKeeper's {@code Watcher.Event.EventType} values that a server sends. */
public enum EventType {
    NODE_CREATED(1),
    NODE_DELETED(2),
    NODE_DATA_CHANGED(3),
    NODE_CHILDREN_CHANGED(4);

    private final int code;

    EventType(int code) {
        this.code = code;
    }

    /** The value on the wire ({@code WatcherEvent.type}). */
    public int code() {
        return code;
    }
}
