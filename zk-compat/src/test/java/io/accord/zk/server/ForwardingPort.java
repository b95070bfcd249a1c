package io.accord.zk.server;

import io.accord.core.Replica;
import io.accord.core.port.ReplicationPort;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.Request;

/** A replication port that passes everything to another one; tests override the part they change. */
class ForwardingPort implements ReplicationPort {
    private final ReplicationPort delegate;

    ForwardingPort(ReplicationPort delegate) {
        this.delegate = delegate;
    }

    @Override
    public int nodeId() {
        return delegate.nodeId();
    }

    @Override
    public Replica replica() {
        return delegate.replica();
    }

    @Override
    public void listener(ApplyListener listener) {
        delegate.listener(listener);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public boolean submit(Request request) {
        return delegate.submit(request);
    }

    @Override
    public boolean serving() {
        return delegate.serving();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
