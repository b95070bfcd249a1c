package io.accord.core;

import io.accord.core.acl.Acl;
import io.accord.core.acl.AclRules;
import io.accord.core.acl.Id;
import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageCapture;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.session.Session;
import io.accord.core.session.SessionInfo;
import io.accord.core.tree.Stat;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.ChangeTracker;
import io.accord.core.txn.Executor;
import io.accord.core.txn.ImageLoader;
import io.accord.core.txn.Images;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Reads;
import io.accord.core.txn.ReplicaState;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Accord's deterministic ZooKeeper state machine: the {@link Replica} every node runs. Apply mutates the compact
 * in-memory tree in place; validation, sessions and the replicated timer are decided only from the log (entry
 * order, log time, request contents), so every replica that applies the same log ends in the same state.
 *
 * <p>Threading: {@link #apply} runs on one thread and takes the write lock once per log entry; the
 * {@link ApplyListener} is called for each request while that lock is held. Reads take the (reentrant) read
 * lock, so they see the state between two entries, never half of one; {@link #readLocked} groups several reads
 * (and e.g. a watch registration) against one state. {@link #digest} holds the read lock for its whole run;
 * {@link #drainChanges} only while it captures references and stat fields (images are built after the lock is
 * released); {@link #writeImage} writes the state as it was when it began while applies go on, taking the read lock
 * for {@value #IMAGE_STEP} nodes at a time (see {@link ImageCapture}).
 *
 * <p>Watches (PROTOCOL.md 6.4): register a watch inside the same {@link #readLocked} call as the read that sets it,
 * e.g. {@code replica.readLocked(() -> { Result r = replica.getData(p, ids); if (r.code() == 0) watches.add(p);
 * return r; })}. Events are reported by the listener under the write lock, so no change can fall between the read
 * and the registration, and a notification is queued before any later read can see the new state.
 *
 * <p>Cost: a lookup walks the path's components with a binary search among each node's sorted children; a write
 * costs a lookup or two plus O(1) amortized work; reads allocate only their results.
 */
public final class StateMachine implements Replica {
    /** Nodes an image visits per read-lock hold: applies wait at most this long (about 50-100 µs) for an image. */
    static final int IMAGE_STEP = 256;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ReplicaState st;
    private final Executor executor;
    private final Reads reads;
    /** Nodes per read-lock hold while writing an image; tests lower it to interleave applies with small trees. */
    int imageStep = IMAGE_STEP;

    /** A replica holding ZooKeeper's initial tree ({@code /}, {@code /zookeeper}, its quota and config). */
    public StateMachine(CoreConfig config) {
        this(ReplicaState.initial(config));
    }

    private StateMachine(ReplicaState st) {
        this.st = st;
        this.executor = new Executor(st);
        this.reads = new Reads(st);
    }

    /** A loader that rebuilds a replica from an image ({@link #writeImage} output, a snapshot or a checkpoint). */
    public static Loader loader(CoreConfig config) {
        return new Loader(config);
    }

    /** Rebuilds a {@link StateMachine} from an image fed through {@link ImageSink}; then call {@link #finish}. */
    public static final class Loader implements ImageSink {
        private final ImageLoader delegate;
        private boolean finished;

        private Loader(CoreConfig config) {
            this.delegate = new ImageLoader(config);
        }

        @Override
        public void meta(MetaImage meta) {
            delegate.meta(meta);
        }

        @Override
        public void acl(AclImage acl) {
            delegate.acl(acl);
        }

        @Override
        public void node(NodeImage node) {
            delegate.node(node);
        }

        @Override
        public void session(SessionImage session) {
            delegate.session(session);
        }

        /** The rebuilt replica. Call once, after the whole image. */
        public StateMachine finish() {
            if (finished) {
                throw new IllegalStateException("finish() already called");
            }
            finished = true;
            return new StateMachine(delegate.finish());
        }
    }

    @Override
    public void apply(long logPosition, long logTimeMs, LogEntry entry, ApplyListener listener) {
        ApplyListener l = listener == null ? ApplyListener.NONE : listener;
        lock.writeLock().lock();
        try {
            int origin = entry == null ? 0 : entry.origin();
            long sequence = entry == null ? 0 : entry.sequence();
            if (!st.admit(logPosition, logTimeMs, origin, sequence) || entry == null || entry.requests() == null) {
                return;
            }
            for (Request r : entry.requests()) {
                if (r != null) {
                    executor.apply(r, logTimeMs, l);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private <T> T read(Supplier<T> s) {
        lock.readLock().lock();
        try {
            return s.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long appliedPosition() {
        return read(st::appliedPosition);
    }

    @Override
    public long lastZxid() {
        return read(st::lastZxid);
    }

    @Override
    public <T> T readLocked(Supplier<T> reads) {
        return read(reads);
    }

    @Override
    public Result exists(String path, List<Id> authIds) {
        return read(() -> reads.exists(path, authIds));
    }

    @Override
    public Result getData(String path, List<Id> authIds) {
        return read(() -> reads.getData(path, authIds));
    }

    @Override
    public Result getChildren(String path, List<Id> authIds) {
        return read(() -> reads.getChildren(path, authIds));
    }

    @Override
    public Result getAcl(String path, List<Id> authIds) {
        return read(() -> reads.getAcl(path, authIds));
    }

    @Override
    public Result getEphemerals(long sessionId, String prefix) {
        return read(() -> reads.getEphemerals(sessionId, prefix));
    }

    @Override
    public Result getAllChildrenNumber(String path, List<Id> authIds) {
        return read(() -> reads.getAllChildrenNumber(path, authIds));
    }

    @Override
    public Stat statOf(String path) {
        return read(() -> reads.statOf(path));
    }

    @Override
    public boolean permits(List<Acl> acl, List<Id> authIds, int perm) {
        return AclRules.permits(acl, authIds, perm, st.config().skipAcl());
    }

    @Override
    public SessionInfo session(long sessionId) {
        return read(() -> {
            Session s = st.sessions().get(sessionId);
            return s == null ? null : s.info();
        });
    }

    @Override
    public int nodeCount() {
        return read(() -> st.tree().nodeCount());
    }

    @Override
    public long approximateDataSize() {
        return read(() -> st.tree().approximateDataSize());
    }

    @Override
    public int sessionCount() {
        return read(() -> st.sessions().size());
    }

    @Override
    public int ephemeralCount() {
        return read(() -> st.sessions().ephemeralCount());
    }

    @Override
    public long digest() {
        return read(() -> Images.digest(st));
    }

    @Override
    public void writeImage(ImageSink sink) {
        if (lock.getReadHoldCount() > 0 || lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("writeImage called while holding the replica's lock: it would deadlock");
        }
        ImageCapture capture = locked(() -> Images.begin(st));
        try {
            capture.writeHead(sink);
            List<NodeImage> batch = new ArrayList<>(imageStep);
            boolean more = true;
            while (more) {
                batch.clear();
                more = read(() -> capture.nextNodes(imageStep, batch));
                for (NodeImage n : batch) {
                    sink.node(n);
                }
            }
            capture.writeTail(sink);
        } finally {
            locked(() -> {
                Images.end(capture);
                return null;
            });
        }
    }

    private <T> T locked(Supplier<T> s) {
        lock.writeLock().lock();
        try {
            return s.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void trackChanges() {
        lock.writeLock().lock();
        try {
            st.trackChanges();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void drainChanges(ChangeSink sink) {
        // Only the capture (references and stat fields) holds apply back; images are built and sorted after.
        ChangeTracker.Capture capture = read(st::captureChanges);
        if (capture != null) {
            capture.emit(sink);
        }
    }
}
