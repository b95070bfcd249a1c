package io.accord.cluster;

import io.accord.core.CoreConfig;
import io.accord.core.Replica;
import io.accord.core.StateMachine;
import io.accord.core.codec.LogEntryCodec;
import io.accord.core.codec.SnapshotCodec;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.client.ClusterException;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter between Aeron Cluster's log and {@code accord-core}: it decodes each session message as a
 * {@link LogEntry} and applies it to the replica at the message's log position and the log's time; it turns
 * the replicated timer into {@link Op.Tick} entries and every new leadership term into {@link Op.ResetDeadlines};
 * the tick timer is (re)scheduled at every term event (Aeron forbids it in {@code onStart}) and after each tick;
 * it streams the replica's image into snapshots and rebuilds the replica from one on start.
 *
 * <h2>Determinism</h2>
 * Everything applied comes from the log: the entry bytes, {@code header.position()}, the timer event's
 * position and timestamp, the term event's position and timestamp. Timer and term entries have origin 0, so the
 * replica applies them unconditionally, at positions that are unique in the log:
 * <ul>
 *   <li>a tick at its timer event's end position;</li>
 *   <li>ResetDeadlines at the term's start position + 1: the previous term's entries end at or before the term
 *   start, and the term event itself is at least 32 bytes long, so this lies strictly between the last entry of
 *   the previous term and the first one of the new term.</li>
 * </ul>
 *
 * <h2>Failure</h2>
 * A log entry that does not decode (CRC mismatch, truncation, unknown version) or an exception out of apply is
 * logged once as an error and stops this member's applying for good: the replica keeps the last good state,
 * {@link MemberState#failure} makes the node stop serving, and snapshots are refused so the bad state never
 * spreads. Diverging silently is never an option.
 *
 * <p>Threading: every callback runs on the service container's thread.
 */
final class AccordService implements ClusteredService {
    static final long TICK_TIMER_ID = 1;
    private static final Logger LOG = LoggerFactory.getLogger(AccordService.class);
    private static final LogEntry TICK = new LogEntry(0, 0, List.of(new Request(0, 0, 0, List.of(), new Op.Tick())));
    private static final LogEntry RESET_DEADLINES =
            new LogEntry(0, 0, List.of(new Request(0, 0, 0, List.of(), new Op.ResetDeadlines())));

    private final ReplicaHolder replica;
    private final CoreConfig core;
    private final int nodeId;
    private final long tickIntervalMs;
    private final MemberState state;
    private final Supplier<ApplyListener> listener;
    private final Consumer<Replica> onReplicaReady;
    private final MemberActivity activity;
    private final ApplyListener guardedListener;
    private Cluster cluster;
    private byte[] scratch = new byte[4096];
    /** The highest log position Aeron delivered to this service so far. */
    private long lastLogPosition = -1;
    /** Requests the replica reported applied: tells an applied entry from a skipped one. */
    private long appliedRequests;

    /**
     * @param onReplicaReady called once in {@code onStart}, after any snapshot was loaded and before the first
     *                       entry is applied (the persistent mode starts its checkpointer there)
     */
    AccordService(ReplicaHolder replica, CoreConfig core, int nodeId, long tickIntervalMs, MemberState state,
                  Supplier<ApplyListener> listener, Consumer<Replica> onReplicaReady, MemberActivity activity) {
        this.activity = activity;
        this.replica = replica;
        this.core = core;
        this.nodeId = nodeId;
        this.tickIntervalMs = tickIntervalMs;
        this.state = state;
        this.listener = listener;
        this.onReplicaReady = onReplicaReady;
        this.guardedListener = applied -> {
            appliedRequests++;
            try {
                listener.get().onApplied(applied);
            } catch (RuntimeException e) {
                // The replica must finish the entry whatever a front end does, or replicas would diverge.
                LOG.error("apply listener failed for {}; the entry is applied regardless", applied.request(), e);
            }
        };
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        this.cluster = cluster;
        if (snapshotImage != null) {
            loadSnapshot(snapshotImage);
        }
        cluster.forEachClientSession(session -> state.openSessions.add(session.id())); // from the snapshot
        onReplicaReady.accept(replica.current());
        state.started = true;
        LOG.info("member {} service started at log position {} (replica at {}, zxid 0x{})", nodeId,
                cluster.logPosition(), replica.appliedPosition(), Long.toHexString(replica.lastZxid()));
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
        state.openSessions.add(session.id());
        LOG.debug("ingress session {} opened", session.id());
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        state.openSessions.remove(session.id());
        LOG.debug("ingress session {} closed: {}", session.id(), closeReason);
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
                                 Header header) {
        if (state.failure != null) {
            return;
        }
        long position = header.position();
        if (!advance(position, false)) {
            return;
        }
        LogEntry entry;
        try {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            buffer.getBytes(offset, scratch, 0, length);
            entry = LogEntryCodec.decode(scratch, 0, length);
        } catch (RuntimeException e) {
            fail("log entry at position " + position + " (" + length + " bytes, session "
                    + (session == null ? "?" : session.id()) + ") does not decode", e);
            return;
        }
        if (entry.origin() == nodeId && entry.sequence() > state.ownSequenceInLog) {
            state.ownSequenceInLog = entry.sequence();
        }
        if (isClientWork(entry)) {
            activity.active();
        }
        apply(position, timestamp, entry);
    }

    /** Anything but a batch of session heartbeats, which come every few seconds from an idle cluster too. */
    static boolean isClientWork(LogEntry entry) {
        for (Request r : entry.requests()) {
            if (!(r.op() instanceof Op.Touch)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        if (correlationId != TICK_TIMER_ID) {
            LOG.warn("unknown timer {} fired at {}; ignored", correlationId, timestamp);
            return;
        }
        if (state.failure == null && advance(cluster.logPosition(), false)) {
            apply(cluster.logPosition(), timestamp, TICK);
            state.ticksApplied++;
        }
        cluster.scheduleTimer(TICK_TIMER_ID, timestamp + tickIntervalMs);
    }

    @Override
    public void onNewLeadershipTermEvent(long leadershipTermId, long logPosition, long timestamp,
                                         long termBaseLogPosition, int leaderMemberId, int logSessionId,
                                         TimeUnit timeUnit, int appVersion) {
        activity.active();
        state.leaderMemberId = leaderMemberId;
        state.leadershipTermId = leadershipTermId;
        LOG.info("member {}: leadership term {} with leader {} at log position {}", nodeId, leadershipTermId,
                leaderMemberId, logPosition);
        if (timeUnit != TimeUnit.MILLISECONDS) {
            fail("the cluster clock is in " + timeUnit + " (expected: MILLISECONDS, as apply reads log time in ms)",
                    null);
            return;
        }
        if (state.failure == null && advance(logPosition, true)) {
            apply(logPosition + 1, timestamp, RESET_DEADLINES);
        }
        // Aeron forbids scheduling in onStart; every start and every failover appends a term event, so the timer
        // is (re)scheduled here, from the log, identically on every replica.
        cluster.scheduleTimer(TICK_TIMER_ID, timestamp + tickIntervalMs);
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        activity.active();
        state.role = newRole;
        LOG.info("member {} is now {}", nodeId, newRole);
    }

    @Override
    public void onTerminate(Cluster cluster) {
        LOG.info("member {} service terminating at log position {}", nodeId, cluster.logPosition());
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication publication) {
        activity.active();
        if (state.failure != null) {
            throw new ClusterException("member " + nodeId + " refuses to snapshot: it stopped applying ("
                    + state.failure + ")");
        }
        long start = System.nanoTime();
        SnapshotStreams.PublicationOutputStream out =
                new SnapshotStreams.PublicationOutputStream(publication, cluster.idleStrategy());
        out.term(state.leadershipTermId, state.leaderMemberId);
        SnapshotCodec.Writer writer = SnapshotCodec.writer(out);
        replica.writeImage(writer);
        SnapshotCodec.Summary summary;
        try {
            summary = writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.end();
        long took = System.nanoTime() - start;
        state.lastSnapshotNanos = took;
        state.snapshotNanosTotal += took;
        state.snapshotsTaken++;
        try {
            state.snapshotListener.accept(took);
        } catch (RuntimeException e) {
            LOG.warn("snapshot listener failed", e);
        }
        LOG.info("member {} snapshot at log position {}: {} nodes, {} sessions, {} bytes in {} ms", nodeId,
                cluster.logPosition(), summary.nodes(), summary.sessions(), out.bytes(),
                TimeUnit.NANOSECONDS.toMillis(took));
    }

    /**
     * Checks that the log only moves forward. If Aeron ever delivered an entry and then rewound the log below it
     * (an entry applied here that the cluster later truncated), this replica holds state the cluster's log does
     * not: it must stop rather than serve it.
     */
    private boolean advance(long position, boolean termStart) {
        if (position < lastLogPosition || (!termStart && position == lastLogPosition)) {
            fail("the log went back from position " + lastLogPosition + " to " + position
                    + ": entries this replica applied were truncated from the cluster log", null);
            return false;
        }
        lastLogPosition = position;
        return true;
    }

    private void apply(long position, long timeMs, LogEntry entry) {
        long before = appliedRequests;
        long replicaAt = replica.appliedPosition();
        try {
            replica.apply(position, timeMs, entry, guardedListener);
        } catch (RuntimeException | Error e) {
            fail("applying the log entry at position " + position + " failed", e);
            return;
        }
        if (appliedRequests == before && entry.origin() != 0 && !entry.requests().isEmpty()) {
            state.entriesSkipped++;
            if (LOG.isDebugEnabled()) {
                LOG.debug("member {} skipped entry origin {} sequence {} at position {} ({})", nodeId, entry.origin(),
                        entry.sequence(), position, position <= replicaAt ? "at or below the replica's position "
                        + replicaAt : "a resend");
            }
        }
        state.entriesApplied++;
        state.lastApplyNanos = System.nanoTime();
    }

    private void fail(String what, Throwable cause) {
        if (state.failure == null) {
            state.failure = cause == null ? new IllegalStateException(what) : cause;
            LOG.error("member {} STOPS APPLYING the log: {}. The replica stays at position {} and the node no "
                    + "longer serves; fix or wipe this member's data and restart it to catch up from the others.",
                    nodeId, what, replica.appliedPosition(), cause);
        }
    }

    /**
     * Replaces the replica with the snapshot's image if the snapshot is newer than what the replica already
     * holds (in persistent mode the replica was loaded from Xodus, which may be ahead of the last snapshot).
     */
    private void loadSnapshot(Image image) {
        long start = System.nanoTime();
        long local = replica.appliedPosition();
        SnapshotStreams.ImageInputStream in = new SnapshotStreams.ImageInputStream(image, cluster.idleStrategy());
        StateMachine.Loader loader = StateMachine.loader(core);
        in.readTerm();
        state.leadershipTermId = Math.max(state.leadershipTermId, in.leadershipTermId());
        state.leaderMemberId = in.leaderMemberId();
        SnapshotCodec.Summary summary;
        try {
            summary = SnapshotCodec.read(in, new NewerThan(local, loader));
        } catch (NotNewer e) {
            LOG.info("member {}: snapshot at position {} is not newer than the checkpoint at {}; keeping the "
                    + "checkpoint", nodeId, e.position, local);
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the snapshot failed", e);
        }
        replica.replace(loader.finish());
        noteOwnSequence(summary.meta());
        state.snapshotsLoaded++;
        LOG.info("member {} loaded snapshot at position {}: {} nodes, {} sessions, {} bytes in {} ms", nodeId,
                summary.meta().appliedPosition(), summary.nodes(), summary.sessions(), in.bytes(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Records the highest sequence of this node's origin that an image (snapshot or checkpoint) reflects. */
    void noteOwnSequence(MetaImage meta) {
        Long seq = meta.originSequences() == null ? null : meta.originSequences().get(nodeId);
        if (seq != null && seq > state.ownSequenceInLog) {
            state.ownSequenceInLog = seq;
        }
    }

    /** Stops reading a snapshot at its meta record when it is not ahead of {@code local}. */
    private static final class NewerThan implements ImageSink {
        private final long local;
        private final ImageSink delegate;

        NewerThan(long local, ImageSink delegate) {
            this.local = local;
            this.delegate = delegate;
        }

        @Override
        public void meta(MetaImage meta) {
            if (meta.appliedPosition() <= local) {
                throw new NotNewer(meta.appliedPosition());
            }
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
    }

    private static final class NotNewer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        NotNewer(long position) {
            super(null, null, false, false);
            this.position = position;
        }
    }
}
