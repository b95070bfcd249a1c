package io.accord.zk.server;

import io.accord.core.CoreConfig;
import io.accord.core.Replica;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import io.accord.core.port.ReplicationPort;
import io.accord.core.txn.ApplyListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several nodes over one in-process log and one replica, for tests of what crosses nodes (session moves, events
 * everywhere). Each node's port submits with its own origin id and has its own listener; every applied request is
 * told to every node's listener, as every member of a cluster applies the whole log.
 */
final class SharedLog implements AutoCloseable {
    private final LocalReplicator log;
    private final Map<Integer, ApplyListener> listeners = new ConcurrentHashMap<>();

    SharedLog(int tickIntervalMs) {
        log = LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, tickIntervalMs);
        log.listener(applied -> listeners.values().forEach(l -> l.onApplied(applied)));
    }

    ReplicationPort node(int nodeId) {
        return new ForwardingPort(log) {
            @Override
            public int nodeId() {
                return nodeId;
            }

            @Override
            public void listener(ApplyListener listener) {
                listeners.put(nodeId, listener);
            }

            @Override
            public void close() {
                listeners.remove(nodeId);
            }
        };
    }

    Replica replica() {
        return log.replica();
    }

    @Override
    public void close() {
        log.close();
    }
}
