package io.accord.cluster;

import io.accord.core.Replica;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageSink;
import io.accord.core.session.SessionInfo;
import io.accord.core.tree.Stat;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Result;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The node's one {@link Replica} as the front end sees it, for its whole life: it delegates to the current state
 * machine. The delegate is replaced only while the clustered service starts ({@code onStart}, when an Aeron
 * snapshot newer than the Xodus checkpoint is loaded), which happens before the member has a leader and so
 * before any write is acknowledged; a read racing that swap sees the older state, which is a state the log went
 * through, never a mix.
 *
 * <p>Threading: as {@link Replica}; {@link #replace} only from the service thread.
 */
final class ReplicaHolder implements Replica {
    private volatile Replica delegate;

    ReplicaHolder(Replica initial) {
        this.delegate = Objects.requireNonNull(initial, "initial");
    }

    Replica current() {
        return delegate;
    }

    void replace(Replica replica) {
        this.delegate = Objects.requireNonNull(replica, "replica");
    }

    @Override
    public void apply(long logPosition, long logTimeMs, LogEntry entry, ApplyListener listener) {
        delegate.apply(logPosition, logTimeMs, entry, listener);
    }

    @Override
    public long appliedPosition() {
        return delegate.appliedPosition();
    }

    @Override
    public long lastZxid() {
        return delegate.lastZxid();
    }

    @Override
    public <T> T readLocked(Supplier<T> reads) {
        return delegate.readLocked(reads);
    }

    @Override
    public Result exists(String path, List<Id> authIds) {
        return delegate.exists(path, authIds);
    }

    @Override
    public Result getData(String path, List<Id> authIds) {
        return delegate.getData(path, authIds);
    }

    @Override
    public Result getChildren(String path, List<Id> authIds) {
        return delegate.getChildren(path, authIds);
    }

    @Override
    public Result getAcl(String path, List<Id> authIds) {
        return delegate.getAcl(path, authIds);
    }

    @Override
    public Result getEphemerals(long sessionId, String prefix) {
        return delegate.getEphemerals(sessionId, prefix);
    }

    @Override
    public Result getAllChildrenNumber(String path, List<Id> authIds) {
        return delegate.getAllChildrenNumber(path, authIds);
    }

    @Override
    public Stat statOf(String path) {
        return delegate.statOf(path);
    }

    @Override
    public boolean permits(List<Acl> acl, List<Id> authIds, int perm) {
        return delegate.permits(acl, authIds, perm);
    }

    @Override
    public SessionInfo session(long sessionId) {
        return delegate.session(sessionId);
    }

    @Override
    public int nodeCount() {
        return delegate.nodeCount();
    }

    @Override
    public long approximateDataSize() {
        return delegate.approximateDataSize();
    }

    @Override
    public int sessionCount() {
        return delegate.sessionCount();
    }

    @Override
    public int ephemeralCount() {
        return delegate.ephemeralCount();
    }

    @Override
    public long digest() {
        return delegate.digest();
    }

    @Override
    public void writeImage(ImageSink sink) {
        delegate.writeImage(sink);
    }

    @Override
    public void trackChanges() {
        delegate.trackChanges();
    }

    @Override
    public void drainChanges(ChangeSink sink) {
        delegate.drainChanges(sink);
    }
}
