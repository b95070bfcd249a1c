package io.accord.cluster;

import io.accord.core.codec.LogEntryCodec;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Request;
import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submitter: the one duty thread that owns this node's (non-thread-safe) {@link AeronCluster} ingress
 * client. Each duty cycle it polls egress (connect responses, {@code NewLeaderEvent}, session close), drains the
 * bounded MPSC queue of submitted requests into {@link LogEntry} batches of origin = node id with strictly
 * increasing sequences, and offers them in order.
 *
 * <h2>Nothing lost, nothing applied twice</h2>
 * Every offered entry stays in an ordered resend buffer until this node's own replica has seen its sequence in
 * the log ({@link MemberState#ownSequenceInLog}). After a {@code NewLeaderEvent}, a reconnect (new session), or
 * when the oldest entry has waited longer than {@code resendAfterNs}, the whole buffer is offered again in order.
 * Entries that made it into the log the first time are dropped by the replica's per-origin dedupe, so the log
 * applies each entry exactly once and in submission order.
 *
 * <p>Sequences must keep increasing across restarts, or a restarted node's entries would be dropped as resends.
 * They start at the wall clock in microseconds when the node starts, and no entry is batched before the local
 * replica has {@linkplain #caughtUp() caught up} to this node's session, after which each sequence is above the
 * highest one of this origin the log holds. So a clock that stepped back cannot cause drops either.
 *
 * <p>Threading: {@link #offer} from any thread; everything else on the agent's thread. That is a thread of its
 * own ({@link #idleStrategy}), or, with the shared thread layout, the member thread ({@link MemberConductor.Guest}),
 * where the agent uses the consensus module's Aeron client and runs the archive and driver in its waiting loops.
 */
final class IngressAgent implements MemberConductor.Guest, EgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(IngressAgent.class);
    /** Encoded length of an entry without requests: the codec header, origin, sequence and count. */
    static final int EMPTY_ENTRY_LENGTH = LogEntryCodec.encodedLength(new LogEntry(1, 1, List.of()));
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RECONNECT_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long WARN_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    /** The longest sleep with nothing to do: egress (new leader, session close) is polled at least this often. */
    static final long MAX_QUIET_PARK_NS = TimeUnit.MILLISECONDS.toNanos(250);

    /** A request on its way into a batch, with an upper bound of its encoded size (as if alone in an entry). */
    record Queued(Request request, int encodedLength) {
    }

    private static final class Pending {
        final long sequence;
        final UnsafeBuffer frame;
        final int requests;
        long sentNanos;

        Pending(long sequence, byte[] frame, int requests) {
            this.sequence = sequence;
            this.frame = new UnsafeBuffer(frame);
            this.requests = requests;
        }
    }

    private final int nodeId;
    private final Aeron aeron;
    /** Run by the cluster client while it waits (the member thread's transport), or null on a thread of its own. */
    private final AgentInvoker hostInvoker;
    private final Supplier<AeronCluster.Context> clientContext;
    private final MemberState state;
    private final ManyToOneConcurrentArrayQueue<Queued> queue;
    private final int maxBatchRequests;
    private final int maxEntryLength;
    private final int maxPendingEntries;
    /** Bytes of unapplied entries at most: max(64 MiB, 4 largest entries); beyond it the queue fills. */
    private final long maxPendingBytes;
    private long pendingBytes;
    private final long resendAfterNs;
    private final List<Request> batch = new ArrayList<>();
    private final long snapshotIntervalNs;
    private final BooleanSupplier takeSnapshot;
    private long nextSnapshotNs;

    private AeronCluster.AsyncConnect connecting;
    private AeronCluster client;
    private volatile boolean connected;
    /** The cluster session of the connected client (MIN_VALUE while not connected). */
    private volatile long clientSessionId = Long.MIN_VALUE;
    private boolean resendAll;
    private long nextConnectNs;
    private long lastOfferNs;
    private long lastWarnNs;
    private long nextSequence;

    private Pending[] ring = new Pending[64];
    private long head;
    private long tail;
    private long sent;

    /** Told when this member (re)connects to the cluster or holds an election: its agents then wake. */
    private final MemberActivity activity;
    private int electionStateCounterId = CountersReader.NULL_COUNTER_ID;

    /** The agent's thread (set in onStart), woken by {@link #offer} while it sleeps. */
    private volatile Thread thread;
    /** True while the agent may be parked: {@link #offer} then unparks it. */
    private volatile boolean sleeping;

    private volatile long resends;
    private volatile long entriesSent;
    private volatile long requestsSent;
    private volatile long newLeaderEvents;

    IngressAgent(int nodeId, Aeron aeron, AgentInvoker hostInvoker, Supplier<AeronCluster.Context> clientContext,
                 MemberState state,
                 int queueCapacity, int maxBatchRequests, int maxEntryLength, int maxPendingEntries,
                 long resendAfterNs, long firstSequence, long snapshotIntervalNs, BooleanSupplier takeSnapshot,
                 MemberActivity activity) {
        this.activity = activity;
        this.nodeId = nodeId;
        this.aeron = aeron;
        this.hostInvoker = hostInvoker;
        this.clientContext = clientContext;
        this.state = state;
        this.queue = new ManyToOneConcurrentArrayQueue<>(queueCapacity);
        this.maxBatchRequests = maxBatchRequests;
        this.maxEntryLength = maxEntryLength;
        this.maxPendingEntries = maxPendingEntries;
        this.maxPendingBytes = Math.max(64L << 20, 4L * maxEntryLength);
        this.resendAfterNs = resendAfterNs;
        this.nextSequence = firstSequence;
        this.snapshotIntervalNs = snapshotIntervalNs;
        this.takeSnapshot = takeSnapshot;
        this.nextSnapshotNs = System.nanoTime() + snapshotIntervalNs;
    }

    /** Queues a request that was already checked to fit in an entry; false when the queue is full. */
    boolean offer(Queued queued) {
        if (!queue.offer(queued)) {
            return false;
        }
        if (sleeping) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        return true;
    }

    /**
     * The submitter's idle strategy: with nothing in flight (connected, queue empty, every entry seen in the log)
     * it sleeps until {@link #offer} wakes it, or until the next keep-alive or snapshot is due (at most {@link
     * #MAX_QUIET_PARK_NS}); while entries are in flight or it is connecting it idles with {@code busy}. Either
     * way an offer wakes it at once, so a submitted request never waits for a park to end.
     */
    IdleStrategy idleStrategy(IdleStrategy busy) {
        return new SubmitterIdleStrategy(busy);
    }

    private final class SubmitterIdleStrategy implements IdleStrategy {
        private final IdleStrategy busy;

        SubmitterIdleStrategy(IdleStrategy busy) {
            this.busy = busy;
        }

        @Override
        public void idle(int workCount) {
            if (workCount > 0) {
                busy.reset();
            } else {
                idle();
            }
        }

        @Override
        public void idle() {
            long quietPark;
            if (!mayIdle()) {
                busy.reset(); // a request came in after doWork looked: go round again at once
                return;
            }
            try {
                if (client != null && connecting == null && head == tail
                        && (quietPark = quietParkNs(System.nanoTime())) > 0) {
                    busy.reset();
                    LockSupport.parkNanos(quietPark);
                } else {
                    // In flight, connecting, or a keep-alive that is due but was refused (no leader): back off.
                    busy.idle();
                }
            } finally {
                awake();
            }
        }

        @Override
        public void reset() {
            busy.reset();
        }

        @Override
        public String alias() {
            return "submitter(" + busy.alias() + ")";
        }
    }

    @Override
    public boolean mayIdle() {
        sleeping = true; // before the queue check: an offer after it sees the flag and unparks (Dekker)
        if (!queue.isEmpty() && canBatch()) {
            sleeping = false;
            return false;
        }
        return true;
    }

    @Override
    public void awake() {
        sleeping = false;
    }

    /**
     * How long the idle submitter may sleep: until the next keep-alive or snapshot, at most 250 ms; <= 0 when one
     * is already due (e.g. a keep-alive the client refused while there is no leader).
     */
    private long quietParkNs(long now) {
        long park = Math.min(MAX_QUIET_PARK_NS, lastOfferNs + KEEP_ALIVE_INTERVAL_NS + 1 - now);
        if (snapshotIntervalNs > 0) {
            park = Math.min(park, nextSnapshotNs - now);
        }
        return park;
    }

    boolean connected() {
        return connected;
    }

    /**
     * Whether the local replica has applied the opening of this client's session: it has replayed everything the
     * log held before this node connected (a restarted member's whole local log, its predecessor's entries
     * included), so its reads are current and every sequence of this node's earlier incarnations is known.
     */
    boolean caughtUp() {
        return state.openSessions.contains(clientSessionId);
    }

    long resends() {
        return resends;
    }

    long entriesSent() {
        return entriesSent;
    }

    long requestsSent() {
        return requestsSent;
    }

    long newLeaderEvents() {
        return newLeaderEvents;
    }

    @Override
    public String roleName() {
        return "accord-ingress-" + nodeId;
    }

    @Override
    public int doWork() {
        long now = System.nanoTime();
        int work = 0;
        watchElection();
        if (snapshotIntervalNs > 0 && now - nextSnapshotNs >= 0) {
            nextSnapshotNs = now + snapshotIntervalNs;
            if (takeSnapshot.getAsBoolean()) {
                LOG.info("node {}: periodic snapshot requested", nodeId);
            }
        }
        if (client == null) {
            work += connect(now);
            if (client == null) {
                return work;
            }
        }
        work += client.pollEgress();
        if (client.isClosed()) {
            LOG.warn("node {}: ingress session closed; reconnecting and resending {} unapplied entries", nodeId,
                    tail - head);
            closeClient();
            return work + 1;
        }
        work += prune();
        if (resendAll) {
            resendAll = false;
            if (sent > head) {
                resends += sent - head;
                LOG.info("node {}: resending {} unapplied entries in order", nodeId, sent - head);
            }
            sent = head;
        }
        if (sent > head && now - ring(head).sentNanos > resendAfterNs) {
            LOG.info("node {}: oldest entry (sequence {}) unapplied for {} ms; resending {} entries", nodeId,
                    ring(head).sequence, TimeUnit.NANOSECONDS.toMillis(now - ring(head).sentNanos), sent - head);
            resends += sent - head;
            sent = head;
        }
        work += send(now);
        work += batch();
        work += send(now);
        if (client != null && now - lastOfferNs > KEEP_ALIVE_INTERVAL_NS && client.sendKeepAlive()) {
            lastOfferNs = now;
        }
        return work;
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    /**
     * While this member's consensus module runs an election, marks the member active and rings the others: an
     * election started by a silent leader's timeout on a quiet cluster would otherwise pass every message through
     * agents in their deep parks. Reads two words of shared memory; this agent wakes at least every
     * {@link #MAX_QUIET_PARK_NS}.
     */
    private static int findCounter(CountersReader counters, int typeId) {
        int[] found = {CountersReader.NULL_COUNTER_ID};
        counters.forEach((counterId, type, key, label) -> {
            if (type == typeId && found[0] == CountersReader.NULL_COUNTER_ID) {
                found[0] = counterId;
            }
        });
        return found[0];
    }

    private void watchElection() {
        CountersReader counters = aeron.countersReader();
        int id = electionStateCounterId;
        if (id == CountersReader.NULL_COUNTER_ID || counters.getCounterState(id) != CountersReader.RECORD_ALLOCATED
                || counters.getCounterTypeId(id) != AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID) {
            id = findCounter(counters, AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID);
            electionStateCounterId = id;
            if (id == CountersReader.NULL_COUNTER_ID) {
                return;
            }
        }
        if (counters.getCounterValue(id) != ElectionState.CLOSED.code()) {
            activity.activeEverywhere();
        }
    }

    @Override
    public void onClose() {
        closeClient();
    }

    private int connect(long now) {
        if (connecting == null) {
            if (now < nextConnectNs) {
                return 0;
            }
            activity.activeEverywhere(); // after a lost leader: the election and the handshake go at full speed
            connecting = AeronCluster.asyncConnect(clientContext.get().aeron(aeron).ownsAeronClient(false)
                    .agentInvoker(hostInvoker).egressListener(this));
        }
        try {
            int step = connecting.step();
            AeronCluster c = connecting.poll();
            if (c == null) {
                // Work only when the handshake moved on: while it waits for the cluster's answer (up to the
                // message timeout, e.g. during an election) the thread, the member thread too, may idle.
                return connecting.step() != step ? 1 : 0;
            }
            connecting = null;
            client = c;
            clientSessionId = c.clusterSessionId();
            connected = true;
            resendAll = true;
            lastOfferNs = now;
            LOG.info("node {}: ingress connected to leader {} (session {}, term {})", nodeId, c.leaderMemberId(),
                    c.clusterSessionId(), c.leadershipTermId());
            return 1;
        } catch (RuntimeException e) {
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = now + RECONNECT_DELAY_NS;
            if (now - lastWarnNs > WARN_INTERVAL_NS) {
                lastWarnNs = now;
                LOG.warn("node {}: cannot connect to the cluster yet ({}); retrying", nodeId, e.toString());
            }
            return 1;
        }
    }

    private void closeClient() {
        connected = false;
        clientSessionId = Long.MIN_VALUE;
        CloseHelper.quietClose(client);
        client = null;
        CloseHelper.quietClose(connecting);
        connecting = null;
        nextConnectNs = System.nanoTime() + RECONNECT_DELAY_NS;
    }

    /** Drops entries the local replica has seen in the log. */
    private int prune() {
        long inLog = state.ownSequenceInLog;
        int n = 0;
        while (head < tail && ring(head).sequence <= inLog) {
            pendingBytes -= ring(head).frame.capacity();
            ring[(int) (head & (ring.length - 1))] = null;
            head++;
            n++;
        }
        if (sent < head) {
            sent = head;
        }
        return n;
    }

    /** Offers unsent entries in order until back-pressure or disconnection. */
    private int send(long now) {
        int n = 0;
        while (client != null && sent < tail) {
            Pending p = ring(sent);
            long result = client.offer(p.frame, 0, p.frame.capacity());
            if (result > 0) {
                p.sentNanos = now;
                sent++;
                n++;
                entriesSent++;
                requestsSent += p.requests;
                lastOfferNs = now;
                continue;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                LOG.warn("node {}: ingress offer failed ({}); reconnecting", nodeId, Publication.errorString(result));
                closeClient();
            }
            break;
        }
        return n;
    }

    /** Whether a new entry may be made: caught up, and room in the resend buffer. */
    private boolean canBatch() {
        return tail - head < maxPendingEntries && pendingBytes < maxPendingBytes && caughtUp();
    }

    /** Drains the queue into one new entry, unless the resend buffer is full. */
    private int batch() {
        if (queue.isEmpty() || !canBatch()) {
            return 0;
        }
        int bytes = EMPTY_ENTRY_LENGTH;
        Queued q;
        while (batch.size() < maxBatchRequests && (q = queue.peek()) != null) {
            if (!batch.isEmpty() && bytes + q.encodedLength() > maxEntryLength) {
                break;
            }
            queue.poll();
            batch.add(q.request());
            bytes += q.encodedLength();
        }
        // Above anything this origin ever had in the log, whatever the wall clock did since an earlier incarnation.
        long sequence = Math.max(nextSequence, state.ownSequenceInLog + 1);
        nextSequence = sequence + 1;
        byte[] frame = LogEntryCodec.encode(new LogEntry(nodeId, sequence, List.copyOf(batch)));
        add(new Pending(sequence, frame, batch.size()));
        pendingBytes += frame.length;
        batch.clear();
        return 1;
    }

    private void add(Pending p) {
        if (tail - head == ring.length) {
            Pending[] bigger = new Pending[ring.length * 2];
            for (long i = head; i < tail; i++) {
                bigger[(int) (i & (bigger.length - 1))] = ring(i);
            }
            ring = bigger;
        }
        ring[(int) (tail & (ring.length - 1))] = p;
        tail++;
    }

    private Pending ring(long index) {
        return ring[(int) (index & (ring.length - 1))];
    }

    /** Entries offered or waiting, not yet seen in the log (for tests and metrics; racy but safe). */
    long unapplied() {
        return Math.max(0, tail - head);
    }

    @Override
    public void onMessage(long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length,
                          Header header) {
        // Accord answers from the local replica; the service sends nothing on egress.
    }

    @Override
    public void onSessionEvent(long correlationId, long clusterSessionId, long leadershipTermId, int leaderMemberId,
                               EventCode code, String detail) {
        if (code != EventCode.OK) {
            LOG.warn("node {}: ingress session {} event {}: {}", nodeId, clusterSessionId, code, detail);
        }
    }

    @Override
    public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId,
                            String ingressEndpoints) {
        activity.active();
        newLeaderEvents++;
        resendAll = true;
        LOG.info("node {}: new leader {} (term {})", nodeId, leaderMemberId, leadershipTermId);
    }
}
