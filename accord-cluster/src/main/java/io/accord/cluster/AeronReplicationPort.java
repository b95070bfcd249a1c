package io.accord.cluster;

import io.accord.core.CoreConfig;
import io.accord.core.Replica;
import io.accord.core.StateMachine;
import io.accord.core.codec.LogEntryCodec;
import io.accord.core.port.ReplicationPort;
import io.accord.core.storage.CheckpointStore;
import io.accord.core.storage.Checkpointer;
import io.accord.core.storage.XodusCheckpointStore;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.aeron.Aeron;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReplicationPort} over Aeron Cluster: this node is one member (media driver, archive, consensus module
 * and the clustered service container applying the log to {@code accord-core}) plus an ingress client through
 * which this node submits requests to whichever member leads. Any node accepts writes; a single node is a
 * one-member cluster on the same path.
 *
 * <pre>{@code
 * AeronReplicationPort port = AeronReplicationPort.create(new AeronReplicationPort.Context()
 *         .nodeId(1)
 *         .members(Member.parseList("1=10.0.0.1:20000,2=10.0.0.2:20000,3=10.0.0.3:20000"))
 *         .dataDir(Path.of("/var/lib/accord"))
 *         .storageMode(StorageMode.PERSISTENT));
 * ZkServer.launch(new ZkServer.Context().replicationPort(port).port(2181).closePortOnClose(true)); // starts it
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * {@link #create} validates the context, locks the data dir (removing Aeron mark files a killed predecessor
 * left) and, in persistent mode, loads the replica from its Xodus checkpoint. {@link #start} launches the Aeron
 * member and the submitter; the log is replayed (entries at or below the checkpoint's position are skipped by the
 * replica), an election runs, and {@link #serving()} turns true once this member applies live log entries.
 * {@link #close} stops the submitter, the service, takes a final checkpoint, stops Aeron and releases the lock.
 *
 * <h2>Guarantees</h2>
 * A request is answered (through the {@link ApplyListener}) only when this node's replica applies it, which
 * happens only after the entry is committed: in persistent mode fsynced on a majority. Submitted requests are
 * resent after leader changes and deduplicated per (origin, sequence), so each applies exactly once, in
 * submission order. After snapshots the log's old archive segments are purged, never past what any member still
 * needs to restart from its own data (see {@link LogPurger}).
 *
 * <h2>Restarts and the listener</h2>
 * A restarted node replays the log, so its listener is told again about requests its previous incarnation
 * submitted, with that incarnation's origin (this node id) and request ids. They are all replayed before
 * {@link #serving()} turns true (it waits until the replica applied the opening of this process's own ingress
 * session); only an entry the previous process sent just before it died that the leader appends after that could
 * arrive later. A front end should still not reuse request ids across restarts (start them from e.g.
 * {@code System.currentTimeMillis() << 20}).
 *
 * <p>Threading: all public methods are thread-safe. The listener runs on the service container's thread.
 */
public final class AeronReplicationPort implements ReplicationPort {
    private static final Logger LOG = LoggerFactory.getLogger(AeronReplicationPort.class);

    private final Context ctx;
    private final MemberDirs dirs;
    private final ReplicaHolder replica;
    private final MemberState state = new MemberState();
    private final CheckpointStore store;
    private volatile Checkpointer checkpointer;
    private volatile ApplyListener listener = ApplyListener.NONE;

    private AutoCloseable driver;
    private ClusteredServiceContainer container;
    private volatile Doorbell doorbell;
    private volatile Aeron aeron;
    private volatile IngressAgent ingress;
    private AgentRunner ingressRunner;
    private final AtomicBoolean reseeding = new AtomicBoolean();
    private final AtomicBoolean syncedQuery = new AtomicBoolean();
    private volatile long syncedFollowersAt = System.nanoTime() - Configuration.SYNCED_FOLLOWERS_REFRESH_NS - 1;
    private volatile int syncedFollowers;
    private LogPurger purger;
    private final Object toggleLock = new Object();
    /** The cluster's control toggle in {@link #aeron}'s counters (guarded by toggleLock; null after a close). */
    private AtomicCounter controlToggle;
    private volatile boolean started;
    private volatile boolean closed;

    private AeronReplicationPort(Context ctx) {
        this.ctx = ctx;
        this.dirs = MemberDirs.lock(ctx.dataDir());
        try {
            if (ctx.storageMode() == StorageMode.PERSISTENT) {
                store = XodusCheckpointStore.open(dirs.xodusDir, ctx.xodusSettings());
                replica = new ReplicaHolder(CheckpointRestore.load(store, ctx, dirs, state));
            } else {
                store = null;
                replica = new ReplicaHolder(new StateMachine(ctx.coreConfig()));
            }
        } catch (RuntimeException | Error e) {
            dirs.close();
            throw e;
        }
    }

    /** Validates the context and prepares the member (data dir lock, checkpoint load); {@link #start} runs it. */
    public static AeronReplicationPort create(Context context) {
        return new AeronReplicationPort(context.conclude());
    }

    /** {@link #create} then {@link #start}, for use without a front end that starts the port itself. */
    public static AeronReplicationPort launch(Context context) {
        AeronReplicationPort port = create(context);
        try {
            port.start();
        } catch (RuntimeException | Error e) {
            port.close();
            throw e;
        }
        return port;
    }

    public Context context() {
        return ctx;
    }

    @Override
    public int nodeId() {
        return ctx.nodeId();
    }

    @Override
    public Replica replica() {
        return replica;
    }

    @Override
    public void listener(ApplyListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("member " + ctx.nodeId() + " is closed");
        }
        long t0 = System.nanoTime();
        try {
            launchAeron();
            started = true;
        } catch (RuntimeException | Error e) {
            LOG.error("member {} failed to start", ctx.nodeId(), e);
            closeAeron();
            throw e;
        }
        LOG.info("member {} of {} launched in {} ms ({} mode, data {}, aeron {}, ingress term {}, log term {}, "
                        + "mtu {}, Aeron threads {})",
                ctx.nodeId(), ctx.members().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                ctx.storageMode(), ctx.dataDir(), ctx.aeronDirectoryName(), ctx.ingressTermLength(),
                ctx.logTermLength(), ctx.mtu(), !ctx.sharedThread() ? "dedicated"
                        : ingressRunner == null ? "shared, with the submitter" : "shared");
    }

    /** Launches the Aeron member, the submitter and the log purger (under the lock). */
    private void launchAeron() {
        ErrorHandler errors = MemberLauncher.errorHandler(ctx.nodeId(), this::onAeronError);
        doorbell = Doorbell.start(ctx.nodeId(), ctx.members(), ctx.activity());
        driver = MemberLauncher.launchDriver(ctx, dirs, errors);
        AccordService service = new AccordService(replica, ctx.coreConfig(), ctx.nodeId(), ctx.tickIntervalMs(),
                state, () -> listener, r -> startCheckpointer(), ctx.activity());
        container = MemberLauncher.launchContainer(ctx, dirs, service);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()).errorHandler(errors)
                .idleSleepDurationNs(Configuration.CLIENT_CONDUCTOR_SLEEP_NS));
        // In memory mode with the shared layout the submitter joins the member thread: one thread less to wake per
        // write (paired runs, 3 members: set window 1 +23% ops/s, p50 1.25 -> 0.98 ms; window 100 +4% to +53%).
        // In persistent mode that thread also waits for each fsync of the recording, and the submitter's own
        // work added to it cost 10% at window 1 (7 pairs), so there it keeps a thread of its own.
        MemberConductor host = driver instanceof MemberConductor m && ctx.storageMode() == StorageMode.MEMORY
                ? m : null;
        ingress = new IngressAgent(ctx.nodeId(), host == null ? aeron : host.aeron(),
                host == null ? null : host.transport(), () -> MemberLauncher.clientContext(ctx), state,
                ctx.queueCapacity(), ctx.maxBatchRequests(), ctx.maxEntryLength(), ctx.maxPendingEntries(),
                ctx.resendAfterNs(), ctx.epochClockMs().getAsLong() * 1000L,
                TimeUnit.MILLISECONDS.toNanos(ctx.snapshotIntervalMs()), this::takeSnapshot, ctx.activity());
        if (host != null) {
            host.host(ingress);
        } else {
            ingressRunner = new AgentRunner(ingress.idleStrategy(ctx.idleStrategySupplier().get()), errors, null,
                    ingress);
            AgentRunner.startOnThread(ingressRunner);
        }
        if (ctx.logPurgeCheckIntervalMs() > 0) {
            purger = new LogPurger(ctx.nodeId(), aeron, dirs.clusterDir.toFile(), ctx.members(),
                    MemberLauncher.hostOf(ctx.self()), this::purgeBoundOfStore, ctx.logPurgeCheckIntervalMs());
        }
    }

    /**
     * Called by Aeron's agents with every error they report. When the election fails because this member needs
     * log the others have purged (a wiped member: every other member's log starts after its position), the member is relaunched from a peer's snapshot ({@link
     * SnapshotSeed}) on a thread of its own.
     */
    private void onAeronError(Throwable error) {
        if (!SnapshotSeed.isCatchupFailure(error) || state.role == Cluster.Role.LEADER
                || reseeding.getAndSet(true)) {
            return;
        }
        Thread t = new Thread(this::reseed, "accord-reseed-" + ctx.nodeId());
        t.setDaemon(true);
        t.start();
    }

    private void reseed() {
        try {
            Aeron a = aeron;
            if (a == null || !SnapshotSeed.isNeeded(ctx, a, replica.appliedPosition())) {
                return;
            }
            synchronized (this) {
                if (closed || !started) {
                    return;
                }
                closeAeron();
                SnapshotSeed.run(ctx, dirs, Configuration.SEED_TIMEOUT_FACTOR * ctx.leaderHeartbeatTimeoutNs());
                if (!closed) {
                    launchAeron();
                }
            }
        } catch (RuntimeException | Error e) {
            state.failure = e;
            LOG.error("member {}: fetching a snapshot from the other members failed; this member stays stopped "
                    + "(restart it to try again)", ctx.nodeId(), e);
        } finally {
            reseeding.set(false);
        }
    }

    /** The store's part of the purge bound: the Xodus durable position, or no bound in memory mode. */
    private long purgeBoundOfStore() {
        if (store == null) {
            return Long.MAX_VALUE;
        }
        Checkpointer c = checkpointer;
        return c == null ? -1 : c.durablePosition();
    }

    /** Runs on the service thread in onStart, after any snapshot load, before the first entry is applied. */
    private void startCheckpointer() {
        if (store != null && checkpointer == null) {
            checkpointer = Checkpointer.start(replica, store, ctx.checkpointSettings());
        }
    }

    /**
     * Queues a request for the log. False when this member is not serving (no leader or quorum, still catching
     * up, stopped applying, closed), when the request cannot fit in one log entry, or when the queue is full.
     */
    @Override
    public boolean submit(Request request) {
        Objects.requireNonNull(request, "request");
        if (!serving()) {
            return false;
        }
        int length = LogEntryCodec.encodedLength(new LogEntry(0, 0, List.of(request)));
        if (length > ctx.maxEntryLength()) {
            LOG.debug("request of {} bytes refused (expected: <= {})", length, ctx.maxEntryLength());
            return false;
        }
        if (!ingress.offer(new IngressAgent.Queued(request, length - IngressAgent.EMPTY_ENTRY_LENGTH))) {
            return false;
        }
        if (!(request.op() instanceof Op.Touch)) {
            ctx.activity().activeEverywhere(); // wake the agents of every member before the entry reaches them
        }
        return true;
    }

    /**
     * True while this member is connected to a leader, has replayed the log up to its own session's opening,
     * and applies live log entries: the replicated timer ticks every {@link Context#tickIntervalMs()}, so
     * without a leader and a quorum nothing is applied, and after {@link Context#livenessTimeoutNs()} the member
     * stops serving.
     */
    @Override
    public boolean serving() {
        long last = state.lastApplyNanos;
        return started && !closed && state.failure == null && state.started && ingress.connected()
                && ingress.caughtUp() && last != 0 && System.nanoTime() - last < ctx.livenessTimeoutNs();
    }

    /** Waits until {@link #serving()}; true if it is within {@code timeout}. */
    public boolean awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!serving()) {
            if (System.nanoTime() - deadline > 0 || closed) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    /**
     * Asks the cluster to take a snapshot now. Only the leader acts on the request (AERON.md section 6), so this
     * returns false on a follower, or when another control action is in progress. Every member then writes its
     * replica's image into its own archive, and a restart of that member loads it instead of replaying the log
     * before it. Once every member has recorded the log past the snapshot (and, in persistent mode, this member's
     * Xodus checkpoint is durable past it) the segments before it are purged ({@link LogPurger}).
     */
    public boolean takeSnapshot() {
        if (!started || closed || state.role != Cluster.Role.LEADER) {
            return false;
        }
        ctx.activity().activeEverywhere(); // the snapshot runs at full speed
        // Not this port's lock: the submitter calls this on the member thread, which close() waits for while
        // holding that lock. The toggle lives in the client's mapping of the driver's counters, which
        // closeAeron() unmaps only under toggleLock, after clearing the toggle.
        synchronized (toggleLock) {
            Aeron a = aeron;
            if (a == null || a.isClosed()) {
                return false;
            }
            if (controlToggle == null) {
                controlToggle = ClusterControl.findControlToggle(a.countersReader(), 0);
                if (controlToggle == null) {
                    return false;
                }
            }
            return ClusterControl.ToggleState.SNAPSHOT.toggle(controlToggle);
        }
    }

    public boolean isLeader() {
        return state.role == Cluster.Role.LEADER;
    }

    /**
     * On the leader, the other members its consensus module counts as in sync: each reported its log append
     * position within the last leader heartbeat timeout, and that position is within {@link
     * Context#ingressTermLength()} bytes (the most that can be in flight) of the leader's own. 0 on a follower.
     * The figure comes from Aeron's cluster-members query ({@link ClusterTool#listMembers}) and is refreshed in
     * the background at most once a second when read, so a read never blocks and may be up to a second old.
     */
    public int syncedFollowers() {
        if (!isLeader() || !started || closed) {
            return 0;
        }
        long now = System.nanoTime();
        if (now - syncedFollowersAt > Configuration.SYNCED_FOLLOWERS_REFRESH_NS && !syncedQuery.getAndSet(true)) {
            syncedFollowersAt = now;
            Thread t = new Thread(this::querySyncedFollowers, "accord-members-query-" + ctx.nodeId());
            t.setDaemon(true);
            t.start();
        }
        return syncedFollowers;
    }

    private void querySyncedFollowers() {
        try {
            ClusterMembership m = new ClusterMembership();
            if (!ClusterTool.listMembers(m, dirs.clusterDir.toFile(), 1_000) || m.activeMembers == null) {
                return;
            }
            long leaderPosition = -1;
            for (ClusterMember member : m.activeMembers) {
                if (member.id() == m.leaderMemberId) {
                    leaderPosition = member.logPosition();
                }
            }
            int synced = 0;
            for (ClusterMember member : m.activeMembers) {
                if (member.id() != m.leaderMemberId
                        && m.currentTimeNs - member.timeOfLastAppendPositionNs() < ctx.leaderHeartbeatTimeoutNs()
                        && member.logPosition() >= leaderPosition - ctx.ingressTermLength()) {
                    synced++;
                }
            }
            syncedFollowers = m.leaderMemberId == ctx.nodeId() ? synced : 0;
        } catch (RuntimeException e) {
            LOG.debug("member {}: cluster members query failed: {}", ctx.nodeId(), e.toString());
        } finally {
            syncedQuery.set(false);
        }
    }

    /**
     * Called on the service thread with the duration in ns of every snapshot this member writes (for metrics; it
     * must not block). Replaces any earlier one.
     */
    public void onSnapshotTaken(LongConsumer durationNs) {
        state.snapshotListener = Objects.requireNonNull(durationNs, "durationNs");
    }

    /** The leader of the current term as the log says, or -1 before the first term event. */
    public int leaderMemberId() {
        return state.leaderMemberId;
    }

    /** Why this member stopped applying, or null. */
    public Throwable failure() {
        return state.failure;
    }

    /** Counters for tests, 4lw and metrics. */
    public MemberStats stats() {
        Checkpointer c = checkpointer;
        IngressAgent i = ingress;
        LogPurger p = purger;
        Doorbell d = doorbell;
        return new MemberStats(state.role.name(), state.leaderMemberId, state.leadershipTermId,
                replica.appliedPosition(),
                state.entriesApplied, state.ticksApplied, state.snapshotsTaken, state.snapshotsLoaded,
                i == null ? 0 : i.entriesSent(), i == null ? 0 : i.requestsSent(), i == null ? 0 : i.resends(),
                i == null ? 0 : i.newLeaderEvents(),
                i == null ? 0 : i.unapplied(), c == null ? -1 : c.checkpointedPosition(),
                c == null ? -1 : c.durablePosition(), p == null ? 0 : p.logStartPosition(),
                p == null ? 0 : p.purges(), state.lastSnapshotNanos, state.snapshotNanosTotal,
                d == null ? 0 : d.rings(), d == null ? 0 : d.heard());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeAeron();
        }
        dirs.close();
        LOG.info("member {} closed", ctx.nodeId());
    }

    private void closeAeron() {
        CloseHelper.quietClose(purger);
        purger = null;
        CloseHelper.quietClose(ingressRunner); // null when the submitter is the member thread's guest:
        synchronized (toggleLock) { // then it closes with that thread, in the driver's close below
            controlToggle = null; // a relaunch (SnapshotSeed) maps new counters
            CloseHelper.quietClose(aeron);
        }
        CloseHelper.quietClose(container);
        Checkpointer c = checkpointer;
        if (c != null) {
            c.close();
            checkpointer = null; // a relaunch (SnapshotSeed) starts a new one on the replica it loads
        }
        if (store != null && closed) {
            store.close();
        }
        CloseHelper.quietClose(driver);
        CloseHelper.quietClose(doorbell);
        doorbell = null;
        ingressRunner = null;
        aeron = null;
        container = null;
        driver = null;
    }

    /** Defaults of {@link Context}. */
    public static final class Configuration {
        /** Added to {@link CoreConfig#maxDataBytes()} for the path, ACL and framing of the largest request. */
        public static final int REQUEST_OVERHEAD_BYTES = 16 * 1024;
        /** Aeron's session header in front of every ingress and log message. */
        public static final int SESSION_HEADER_LENGTH = 32;
        public static final long TICK_INTERVAL_MS = 1_000;
        public static final long LEADER_HEARTBEAT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);
        /**
         * 250 ms: 12 heartbeats per timeout. Heartbeats only matter when the log is idle (commits are sent as they
         * happen), and each one wakes the consensus module and media driver of every member.
         */
        public static final long LEADER_HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);
        public static final long ELECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
        /** Aeron requires a multiple of the heartbeat timeout; default 3 of them (9 s). */
        public static final int STARTUP_CANVASS_HEARTBEAT_TIMEOUTS = 3;
        public static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
        public static final long SNAPSHOT_INTERVAL_MS = TimeUnit.MINUTES.toMillis(10);
        static final long SYNCED_FOLLOWERS_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
        /** A wiped member waits this many heartbeat timeouts at most for a peer's snapshot and log. */
        public static final int SEED_TIMEOUT_FACTOR = 20;
        /**
         * The media driver conductor's timer check: 0 leaves Aeron's own default. Setting it to 1 ms explicitly made
         * three idle {@code accord server} processes use 0.52-0.62 cores instead of 0.11-0.14 (one A/B run of
         * separate processes), so the default is not touched. 50 ms made synchronous writes p50 15-25 ms.
         */
        public static final long DRIVER_TIMER_INTERVAL_NS = 0;
        public static final long LOG_PURGE_CHECK_INTERVAL_MS = TimeUnit.SECONDS.toMillis(10);
        public static final int MAX_CONCURRENT_SESSIONS = 64;
        public static final int QUEUE_CAPACITY = 65_536;
        public static final int MAX_BATCH_REQUESTS = 1_024;
        public static final int MAX_PENDING_ENTRIES = 16_384;
        public static final int COUNTERS_BUFFER_LENGTH = 1 << 20;
        /**
         * How long the conductor threads of the member's Aeron clients sleep between duty cycles (Aeron's default
         * is 16 ms). They only see images come and go and send keep-alives every 500 ms; the hot paths run on the
         * calling threads. 100 ms saves two threads per member 50 wake-ups a second.
         */
        public static final long CLIENT_CONDUCTOR_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
        /**
         * The MTU of the log and ingress streams when every member is on a real network: Aeron's own default, a
         * datagram that fits an Ethernet frame of 1500 bytes unfragmented.
         */
        public static final int NETWORK_MTU = 1408;
        /**
         * The MTU when every member's address is a loopback address. Loopback carries 64 KiB frames, so large
         * datagrams are not fragmented, and each datagram costs a send and a receive system call: 3 members on one
         * 2-core box wrote 20-30% more with 8 KiB than with 1408 bytes, and about 9% more again with 32 KiB
         * (paired runs, {@code set} at window 100).
         */
        public static final int LOOPBACK_MTU = 32 * 1024;
        /** Aeron's largest MTU: the largest UDP payload less its own alignment. */
        public static final int MAX_MTU = 65_504;
        /** Aeron frames are 32-byte aligned, and so must an MTU be. */
        static final int MTU_ALIGNMENT = 32;

        private Configuration() {
        }

        /** See {@link Context#idleStrategy(String)}. */
        public static Supplier<IdleStrategy> idleStrategyNamed(String name) {
            Objects.requireNonNull(name, "idle strategy name");
            if (name.equals(LowCpuIdleStrategy.ALIAS)) {
                return LowCpuIdleStrategy::new;
            }
            if (name.equals("backoff")) {
                return BackoffIdleStrategy::new;
            }
            if (name.startsWith("sleep-") && name.endsWith("ms")) {
                try {
                    long ms = Long.parseLong(name.substring(6, name.length() - 2));
                    if (ms >= 1 && ms <= 1000) {
                        return () -> new SleepingMillisIdleStrategy(ms);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new IllegalArgumentException("idleStrategy: " + name + " (expected: low-cpu, backoff or "
                    + "sleep-<1..1000>ms)");
        }

        /** The smallest power of two >= {@code n}. */
        static int pow2(long n) {
            long p = 1;
            while (p < n) {
                p <<= 1;
            }
            if (p > (1 << 30)) {
                throw new IllegalArgumentException("length: " + n + " (expected: <= " + (1 << 30) + ")");
            }
            return (int) p;
        }
    }

    /**
     * Settings of one member. Setters return the context; {@link #conclude()} runs once (from {@link #create}),
     * fills the derived defaults and validates, with messages that quote the values.
     *
     * <p>Buffer sizes follow from {@link CoreConfig#maxDataBytes()}: the largest entry is the largest value plus
     * {@link Configuration#REQUEST_OVERHEAD_BYTES}; Aeron caps a message at term length / 8, so the ingress term is
     * the smallest power of two holding 8 such messages (16 MiB for ZooKeeper's 1 MiB values), the log term is at
     * least the ingress term (a smaller log term silently drops big messages, AERON.md section 8), and the archive
     * segment is at least 8 log terms. A small {@code maxDataBytes} (e.g. 16 KiB) gives the small test profile of
     * AERON.md section 10c.
     */
    public static final class Context {
        private boolean concluded;
        private int nodeId;
        private List<Member> members;
        private Path dataDir;
        private String aeronDirectoryName;
        private StorageMode storageMode = StorageMode.PERSISTENT;
        private CoreConfig coreConfig = CoreConfig.defaults();
        private int maxEntryLength;
        private int ingressTermLength;
        private int logTermLength;
        private int ipcTermLength;
        private int countersBufferLength = Configuration.COUNTERS_BUFFER_LENGTH;
        private int archiveSegmentLength;
        private long archiveId = Long.MIN_VALUE;
        private long leaderHeartbeatTimeoutNs = Configuration.LEADER_HEARTBEAT_TIMEOUT_NS;
        private long leaderHeartbeatIntervalNs = Configuration.LEADER_HEARTBEAT_INTERVAL_NS;
        private long electionTimeoutNs = Configuration.ELECTION_TIMEOUT_NS;
        private long startupCanvassTimeoutNs;
        private long sessionTimeoutNs = Configuration.SESSION_TIMEOUT_NS;
        private int maxConcurrentSessions = Configuration.MAX_CONCURRENT_SESSIONS;
        /** Null: {@link LowCpuIdleStrategy} governed by {@link #activity}. */
        private Supplier<IdleStrategy> idleStrategySupplier;
        private long quietAfterNs = MemberActivity.DEFAULT_QUIET_AFTER_NS;
        private MemberActivity activity;
        private long tickIntervalMs = Configuration.TICK_INTERVAL_MS;
        /** 0: {@link Configuration#LOOPBACK_MTU} or {@link Configuration#NETWORK_MTU}, see {@link #mtu()}. */
        private int mtu;
        private boolean sharedThread = true;

        private long snapshotIntervalMs = Configuration.SNAPSHOT_INTERVAL_MS;
        private long logPurgeCheckIntervalMs = Configuration.LOG_PURGE_CHECK_INTERVAL_MS;
        private long driverTimerIntervalNs = Configuration.DRIVER_TIMER_INTERVAL_NS;
        private byte[] clusterSecret;
        private int queueCapacity = Configuration.QUEUE_CAPACITY;
        private int maxBatchRequests = Configuration.MAX_BATCH_REQUESTS;
        private int maxPendingEntries = Configuration.MAX_PENDING_ENTRIES;
        private long resendAfterNs;
        private long livenessTimeoutNs;
        private Checkpointer.Settings checkpointSettings = Checkpointer.Settings.defaults();
        private XodusCheckpointStore.Settings xodusSettings = XodusCheckpointStore.Settings.defaults();
        private LongSupplier epochClockMs = System::currentTimeMillis;

        /**
         * Fills defaults and validates; called once by {@link AeronReplicationPort#create}.
         *
         * @throws IllegalArgumentException naming the setting, its value and what was expected
         * @throws IllegalStateException    if called twice
         */
        public Context conclude() {
            if (concluded) {
                throw new IllegalStateException("context already concluded");
            }
            concluded = true;
            if (members == null || members.isEmpty()) {
                throw new IllegalArgumentException("members: " + members + " (expected: at least one member)");
            }
            Set<Integer> ids = new HashSet<>();
            for (Member m : members) {
                if (!ids.add(m.id())) {
                    throw new IllegalArgumentException("members: member id " + m.id() + " appears twice in "
                            + members);
                }
            }
            ContextRules.checkPortRanges(members);
            if (self() == null) {
                throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: one of the member ids "
                        + ids + ")");
            }
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(storageMode, "storageMode");
            Objects.requireNonNull(coreConfig, "coreConfig");
            activity = new MemberActivity(quietAfterNs);
            if (idleStrategySupplier == null) {
                MemberActivity a = activity;
                idleStrategySupplier = () -> new LowCpuIdleStrategy(a);
            }
            if (mtu == 0) {
                mtu = Member.allLoopback(members) ? Configuration.LOOPBACK_MTU : Configuration.NETWORK_MTU;
            }
            Objects.requireNonNull(checkpointSettings, "checkpointSettings");
            Objects.requireNonNull(xodusSettings, "xodusSettings");
            Objects.requireNonNull(epochClockMs, "epochClockMs");
            dataDir = dataDir.toAbsolutePath().normalize();
            int dirHash = dataDir.toString().hashCode();
            if (aeronDirectoryName == null) {
                String base = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm"
                        : System.getProperty("java.io.tmpdir");
                aeronDirectoryName = Path.of(base, "accord-" + System.getProperty("user.name", "user") + "-" + nodeId
                        + "-" + Integer.toHexString(dirHash)).toString();
            }
            if (archiveId == Long.MIN_VALUE) {
                archiveId = ((dirHash & 0xFFFF_FFFFL) << 8) | nodeId;
            }
            if (maxEntryLength == 0) {
                maxEntryLength = coreConfig.maxDataBytes() + Configuration.REQUEST_OVERHEAD_BYTES;
            }
            if (ingressTermLength == 0) {
                ingressTermLength = Math.max(64 * 1024,
                        Configuration.pow2(8L * (maxEntryLength + Configuration.SESSION_HEADER_LENGTH)));
            }
            if (logTermLength == 0) {
                logTermLength = Math.max(ingressTermLength, 1 << 20);
            }
            if (ipcTermLength == 0) {
                ipcTermLength = Math.max(256 * 1024, Math.min(logTermLength, 8 << 20));
            }
            if (archiveSegmentLength == 0) {
                archiveSegmentLength = (int) Math.min(1 << 30, Math.max(16 << 20, 8L * logTermLength));
            }
            if (startupCanvassTimeoutNs == 0) {
                startupCanvassTimeoutNs = Configuration.STARTUP_CANVASS_HEARTBEAT_TIMEOUTS * leaderHeartbeatTimeoutNs;
            }
            if (resendAfterNs == 0) {
                resendAfterNs = 2 * leaderHeartbeatTimeoutNs;
            }
            if (livenessTimeoutNs == 0) {
                livenessTimeoutNs = leaderHeartbeatTimeoutNs + TimeUnit.MILLISECONDS.toNanos(2 * tickIntervalMs);
            }
            ContextRules.validateSizes(this);
            ContextRules.validateTimes(this);
            return this;
        }

        /** This node's entry in {@link #members()}, or null. */
        public Member self() {
            if (members != null) {
                for (Member m : members) {
                    if (m.id() == nodeId) {
                        return m;
                    }
                }
            }
            return null;
        }

        /** This node's id (ZooKeeper's myid, 1..254), also its Aeron member id and its requests' origin. */
        public Context nodeId(int nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public int nodeId() {
            return nodeId;
        }

        /** Every member of the cluster, this one included; the same list on every member. */
        public Context members(List<Member> members) {
            this.members = members == null ? null : List.copyOf(members);
            return this;
        }

        public List<Member> members() {
            return members;
        }

        /** Holds {@code cluster/}, {@code archive/}, {@code xodus/} and the lock file. Required. */
        public Context dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The media driver's directory; default {@code /dev/shm/accord-<user>-<id>-<hash of dataDir>}. */
        public Context aeronDirectoryName(String name) {
            this.aeronDirectoryName = name;
            return this;
        }

        public String aeronDirectoryName() {
            return aeronDirectoryName;
        }

        public Context storageMode(StorageMode mode) {
            this.storageMode = mode;
            return this;
        }

        public StorageMode storageMode() {
            return storageMode;
        }

        /** The state machine's settings; identical on every member. Its maxDataBytes sizes the buffers. */
        public Context coreConfig(CoreConfig config) {
            this.coreConfig = config;
            return this;
        }

        public CoreConfig coreConfig() {
            return coreConfig;
        }

        /** The largest encoded log entry (one request at least); default maxDataBytes + 16 KiB. */
        public Context maxEntryLength(int length) {
            this.maxEntryLength = length;
            return this;
        }

        public int maxEntryLength() {
            return maxEntryLength;
        }

        public Context ingressTermLength(int length) {
            this.ingressTermLength = length;
            return this;
        }

        public int ingressTermLength() {
            return ingressTermLength;
        }

        public Context logTermLength(int length) {
            this.logTermLength = length;
            return this;
        }

        public int logTermLength() {
            return logTermLength;
        }

        /** Term length of IPC publications (snapshots); default max(256 KiB, min(log term, 8 MiB)). */
        public Context ipcTermLength(int length) {
            this.ipcTermLength = length;
            return this;
        }

        public int ipcTermLength() {
            return ipcTermLength;
        }

        public Context countersBufferLength(int length) {
            this.countersBufferLength = length;
            return this;
        }

        public int countersBufferLength() {
            return countersBufferLength;
        }

        public Context archiveSegmentLength(int length) {
            this.archiveSegmentLength = length;
            return this;
        }

        public int archiveSegmentLength() {
            return archiveSegmentLength;
        }

        /** Unique per archive; default derived from the data dir and node id. */
        public Context archiveId(long archiveId) {
            this.archiveId = archiveId;
            return this;
        }

        public long archiveId() {
            return archiveId;
        }

        /** Failover takes about this long plus an election (AERON.md section 5); default 3 s. */
        public Context leaderHeartbeatTimeoutNs(long ns) {
            this.leaderHeartbeatTimeoutNs = ns;
            return this;
        }

        public long leaderHeartbeatTimeoutNs() {
            return leaderHeartbeatTimeoutNs;
        }

        public Context leaderHeartbeatIntervalNs(long ns) {
            this.leaderHeartbeatIntervalNs = ns;
            return this;
        }

        public long leaderHeartbeatIntervalNs() {
            return leaderHeartbeatIntervalNs;
        }

        public Context electionTimeoutNs(long ns) {
            this.electionTimeoutNs = ns;
            return this;
        }

        public long electionTimeoutNs() {
            return electionTimeoutNs;
        }

        /**
         * How long a starting member waits for all members before electing with a majority; a multiple of the
         * heartbeat timeout, default 3 of them.
         */
        public Context startupCanvassTimeoutNs(long ns) {
            this.startupCanvassTimeoutNs = ns;
            return this;
        }

        public long startupCanvassTimeoutNs() {
            return startupCanvassTimeoutNs;
        }

        public Context sessionTimeoutNs(long ns) {
            this.sessionTimeoutNs = ns;
            return this;
        }

        public long sessionTimeoutNs() {
            return sessionTimeoutNs;
        }

        public Context maxConcurrentSessions(int n) {
            this.maxConcurrentSessions = n;
            return this;
        }

        public int maxConcurrentSessions() {
            return maxConcurrentSessions;
        }

        /**
         * For every Aeron agent (media driver, its async executor, archive, consensus module, service container)
         * and, while requests are in flight, the submitter (which otherwise sleeps until a request arrives). Called
         * once per agent. Default: {@link LowCpuIdleStrategy} governed by this member's {@link MemberActivity} (the
         * back-off while the cluster does client work and for {@link #quietAfterNs} after, parks of 50 ms when it
         * is quiet). Never busy-spin on a box with fewer cores than agents (AERON.md section 4).
         */
        public Context idleStrategySupplier(Supplier<IdleStrategy> supplier) {
            this.idleStrategySupplier = Objects.requireNonNull(supplier, "idleStrategySupplier");
            return this;
        }

        /**
         * The MTU of the cluster log and of the ingress streams (the bulk of the traffic between members): the
         * largest UDP datagram Aeron sends. Each datagram costs a system call on both sides, so larger ones carry
         * batched writes with less CPU; on a network, datagrams larger than the path MTU are fragmented by IP, and
         * a lost fragment loses the whole datagram until Aeron resends it. Default (0): {@link
         * Configuration#LOOPBACK_MTU} when every member's address is a loopback address, else {@link
         * Configuration#NETWORK_MTU}. Set it to about 8 KiB less headers (8192 or 8960) with jumbo frames. A log
         * that already exists keeps the MTU it was recorded with (Aeron Cluster carries it into the log channel; an
         * archive recording is only extended with its own MTU), so the setting applies to the log of a new cluster
         * and to the ingress streams.
         *
         * @throws IllegalArgumentException unless 0 or a multiple of 32 from 1024 to {@link Configuration#MAX_MTU}
         */
        public Context mtu(int bytes) {
            if (bytes != 0 && (bytes < 1024 || bytes > Configuration.MAX_MTU
                    || bytes % Configuration.MTU_ALIGNMENT != 0)) {
                throw new IllegalArgumentException("mtu: " + bytes + " (expected: a multiple of "
                        + Configuration.MTU_ALIGNMENT + " from 1024 to " + Configuration.MAX_MTU + ")");
            }
            this.mtu = bytes;
            return this;
        }

        /** The MTU in use (after {@link #conclude()}: never 0). */
        public int mtu() {
            return mtu;
        }

        /**
         * Whether the media driver, archive and consensus module share one thread ({@link MemberConductor}, the
         * default) or run as three agents on threads of their own (Aeron's usual layout). Shared, an entry crosses
         * no thread boundary between the socket, the recording and the consensus module's answer: in paired runs
         * of 3 members on a 2-core box, synchronous writes took about 25% less time in memory mode and 15% less
         * persistent, and batched writes gained 0-20%. The service, the submitter and the client port keep their
         * own threads either way.
         */
        public Context sharedThread(boolean shared) {
            this.sharedThread = shared;
            return this;
        }

        public boolean sharedThread() {
            return sharedThread;
        }

        /**
         * {@link #sharedThread(boolean)} by name (e.g. from a config file): {@code shared} or {@code dedicated}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public Context threading(String name) {
            switch (name) {
                case "shared" -> sharedThread = true;
                case "dedicated" -> sharedThread = false;
                default -> throw new IllegalArgumentException("unknown threading '" + name
                        + "' (expected: shared or dedicated)");
            }
            return this;
        }

        /**
         * The idle strategy by name (e.g. from a config file): {@code low-cpu} (the default), {@code backoff}
         * (Agrona's default back-off: 1 µs to 1 ms parks; lowest latency after quiet spells, several times the idle
         * CPU), {@code sleep-1ms} ({@code sleep-<n>ms}: fixed sleeps, least CPU under load, about n ms per hop).
         *
         * @throws IllegalArgumentException for any other name
         */
        public Context idleStrategy(String name) {
            this.idleStrategySupplier = name.equals(LowCpuIdleStrategy.ALIAS) ? null
                    : Configuration.idleStrategyNamed(name);
            return this;
        }

        /**
         * How long after the last client work the default idle strategy keeps every agent out of its deep parks;
         * default 1 s. The first write after a longer pause waits for the members' agents to wake (a few ms to a
         * few tens of ms).
         */
        public Context quietAfterNs(long ns) {
            this.quietAfterNs = ns;
            return this;
        }

        public long quietAfterNs() {
            return quietAfterNs;
        }

        /** This member's activity (set by {@link #conclude()}). */
        MemberActivity activity() {
            return activity;
        }

        public Supplier<IdleStrategy> idleStrategySupplier() {
            return idleStrategySupplier;
        }

        /** How often the replicated timer appends a Tick (session expiry); default 1000 ms (half of tickTime). */
        public Context tickIntervalMs(long ms) {
            this.tickIntervalMs = ms;
            return this;
        }

        public long tickIntervalMs() {
            return tickIntervalMs;
        }

        /** How often the leader triggers a snapshot; 0 = never (only {@link #takeSnapshot()}); default 10 min. */
        public Context snapshotIntervalMs(long ms) {
            this.snapshotIntervalMs = ms;
            return this;
        }

        public long snapshotIntervalMs() {
            return snapshotIntervalMs;
        }

        /**
         * How often this member checks whether a newer snapshot lets it purge old log segments; 0 = never purge
         * (the archive then keeps the whole log). Default 10 s; a check without a newer snapshot reads only
         * {@code recording.log}.
         */
        public Context logPurgeCheckIntervalMs(long ms) {
            this.logPurgeCheckIntervalMs = ms;
            return this;
        }

        public long logPurgeCheckIntervalMs() {
            return logPurgeCheckIntervalMs;
        }

        /**
         * A secret every member shares (the same bytes on each): when set, the consensus module admits an ingress
         * session or backup query only from a client that proves it knows the secret (HMAC-SHA256 challenge, see
         * {@link IngressAuthenticator}), so only Accord members can append to the log. Default none: any client
         * that reaches the ingress port may. At least 16 bytes.
         */
        public Context clusterSecret(byte[] secret) {
            this.clusterSecret = secret == null ? null : secret.clone();
            return this;
        }

        public byte[] clusterSecret() {
            return clusterSecret == null ? null : clusterSecret.clone();
        }

        /**
         * The media driver's {@code timerIntervalNs}; default 0, which keeps Aeron's own. Longer saves idle wake-ups
         * of the driver but lets it park deeply between messages: synchronous writes then take tens of ms.
         */
        public Context driverTimerIntervalNs(long ns) {
            this.driverTimerIntervalNs = ns;
            return this;
        }

        public long driverTimerIntervalNs() {
            return driverTimerIntervalNs;
        }

        public Context queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        public int queueCapacity() {
            return queueCapacity;
        }

        public Context maxBatchRequests(int n) {
            this.maxBatchRequests = n;
            return this;
        }

        public int maxBatchRequests() {
            return maxBatchRequests;
        }

        /** Entries offered but not yet seen in the log at most; beyond that the queue fills and submit refuses. */
        public Context maxPendingEntries(int n) {
            this.maxPendingEntries = n;
            return this;
        }

        public int maxPendingEntries() {
            return maxPendingEntries;
        }

        /** Resend everything unapplied when the oldest entry waited this long; default 2 x heartbeat timeout. */
        public Context resendAfterNs(long ns) {
            this.resendAfterNs = ns;
            return this;
        }

        public long resendAfterNs() {
            return resendAfterNs;
        }

        /** Stop serving when nothing was applied for this long; default heartbeat timeout + 2 ticks. */
        public Context livenessTimeoutNs(long ns) {
            this.livenessTimeoutNs = ns;
            return this;
        }

        public long livenessTimeoutNs() {
            return livenessTimeoutNs;
        }

        public Context checkpointSettings(Checkpointer.Settings settings) {
            this.checkpointSettings = settings;
            return this;
        }

        public Checkpointer.Settings checkpointSettings() {
            return checkpointSettings;
        }

        public Context xodusSettings(XodusCheckpointStore.Settings settings) {
            this.xodusSettings = settings;
            return this;
        }

        public XodusCheckpointStore.Settings xodusSettings() {
            return xodusSettings;
        }

        /** Wall clock in ms; only seeds this node's entry sequences (never read by apply). */
        public Context epochClockMs(LongSupplier clock) {
            this.epochClockMs = clock;
            return this;
        }

        public LongSupplier epochClockMs() {
            return epochClockMs;
        }
    }
}
