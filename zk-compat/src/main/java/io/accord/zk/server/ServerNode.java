package io.accord.zk.server;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.accord.core.Replica;
import io.accord.core.acl.Id;
import io.accord.core.port.ReplicationPort;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one node's client front end shares across its connections: the port and replica, the pending writes
 * (by request id), which local connection holds which session, the watch tables, the sessions to touch, per-IP
 * connection counts and the statistics. It is also the port's {@link ApplyListener}: for every applied request it
 * queues watch events to the matching connections, answers the request if this node submitted it, and closes
 * local connections of sessions that closed, expired or moved to another node.
 *
 * <p>Thread-safe: network threads and the apply thread use it concurrently.
 */
final class ServerNode implements ApplyListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServerNode.class);

    final ZkServer.Context config;
    final ReplicationPort port;
    final Replica replica;
    final int nodeId;
    final WatchManager watches = new WatchManager();
    final ServerStats stats;
    final SecureRandom random = new SecureRandom();
    final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    final TrafficCounter trafficCounter;
    private final List<String> gaugeNames = new ArrayList<>();
    private final FourLetterWords fourLetterWords = new FourLetterWords(this);
    /** The client port actually bound (the configured one may be 0). */
    volatile int boundPort;
    /** The bound TLS client port, -1 without one. */
    volatile int boundSecurePort = -1;

    private final ConcurrentHashMap<Long, PendingWrite> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Connection> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    private final Set<Long> touched = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger outstanding =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean throttled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Set<Connection> paused = ConcurrentHashMap.newKeySet();
    /**
     * Request ids start from this process's start time in the high bits: after a restart the log may replay
     * requests the previous process of this node submitted (same origin), and their ids must not match a request
     * pending here. 2^20 ids per millisecond of uptime before two processes' ranges could meet.
     */
    private final AtomicLong requestIds = new AtomicLong(System.currentTimeMillis() << 20);

    ServerNode(ZkServer.Context config) {
        this.config = config;
        this.port = config.replicationPort();
        this.replica = port.replica();
        this.nodeId = port.nodeId();
        this.stats = new ServerStats(config.metricRegistry());
        this.trafficCounter = new TrafficCounter(stats);
        registerGauges(config.metricRegistry());
    }

    /**
     * The gauges of this node (names in {@link ZkMetrics}), read when a reporter asks. A gauge left by an earlier
     * server on the same registry is replaced, so a restarted node never reports its predecessor's state.
     */
    private void registerGauges(MetricRegistry registry) {
        gauge(registry, ZkMetrics.NUM_ALIVE_CONNECTIONS, connections::size);
        gauge(registry, ZkMetrics.OUTSTANDING_REQUESTS, this::outstanding);
        gauge(registry, ZkMetrics.ZNODE_COUNT, () -> replica.nodeCount() + 1);
        gauge(registry, ZkMetrics.WATCH_COUNT, watches::count);
        gauge(registry, ZkMetrics.EPHEMERALS_COUNT, replica::ephemeralCount);
        gauge(registry, ZkMetrics.APPROXIMATE_DATA_SIZE, replica::approximateDataSize);
        gauge(registry, ZkMetrics.GLOBAL_SESSIONS, replica::sessionCount);
        gauge(registry, ZkMetrics.LAST_ZXID, replica::lastZxid);
        gauge(registry, ZkMetrics.APPLIED_POSITION, replica::appliedPosition);
        gauge(registry, ZkMetrics.UPTIME, stats::uptimeMs);
        gauge(registry, ZkMetrics.OPEN_FILE_DESCRIPTOR_COUNT, () -> {
            FourLetterWords.FileDescriptors fds = FourLetterWords.FileDescriptors.read();
            return fds == null ? -1L : fds.open();
        });
        gauge(registry, ZkMetrics.MAX_FILE_DESCRIPTOR_COUNT, () -> {
            FourLetterWords.FileDescriptors fds = FourLetterWords.FileDescriptors.read();
            return fds == null ? -1L : fds.max();
        });
    }

    private <T extends Number> void gauge(MetricRegistry registry, String name, Supplier<T> value) {
        registry.remove(name);
        registry.register(name, (Gauge<T>) value::get);
        gaugeNames.add(name);
    }

    /** Removes this node's gauges from the registry (the counters and timers stay: they only ever count). */
    void unregisterGauges() {
        MetricRegistry registry = config.metricRegistry();
        gaugeNames.forEach(registry::remove);
    }

    /** Requests received and not yet answered, over all connections. */
    int outstanding() {
        return outstanding.get();
    }

    /**
     * Whether the node is over {@code globalOutstandingLimit}: connections with a request of their own in flight
     * stop reading until the count falls back to half the limit (ZooKeeper throttles the same connections at the
     * same limit; the half-way resume keeps reading from flapping on every reply).
     */
    boolean throttled() {
        return throttled.get();
    }

    /** Counts requests received (positive) or answered or dropped (negative); any thread. */
    void outstandingChanged(int delta) {
        int now = outstanding.addAndGet(delta);
        int limit = config.globalOutstandingLimit();
        if (delta > 0 && now > limit && throttled.compareAndSet(false, true)) {
            LOG.debug("{} requests outstanding (globalOutstandingLimit {}): connections with requests in flight "
                    + "stop reading", now, limit);
        } else if (delta < 0 && now <= limit / 2 && throttled.compareAndSet(true, false)) {
            for (Connection c : paused) {
                c.resumeReading();
            }
        }
    }

    /**
     * A connection that stops reading because the node is throttled registers here first and then looks at the
     * flag again, and the node clears the flag before it wakes the registered ones: so none stays asleep.
     */
    void pausedByThrottle(Connection connection, boolean paused) {
        if (paused) {
            this.paused.add(connection);
        } else {
            this.paused.remove(connection);
        }
    }

    int clampTimeout(int requestedMs) {
        return Math.max(config.minSessionTimeoutMs(), Math.min(config.maxSessionTimeoutMs(), requestedMs));
    }

    /** Submits a request for the log; false if the port refused it. */
    boolean submit(PendingWrite write, long sessionId, List<Id> authIds, Op op) {
        long requestId = requestIds.incrementAndGet();
        pending.put(requestId, write);
        if (port.submit(new Request(nodeId, requestId, sessionId, authIds, op))) {
            return true;
        }
        pending.remove(requestId);
        return false;
    }

    @Override
    public void onApplied(Applied applied) {
        List<ChangeEvent> events = applied.events();
        if (!events.isEmpty()) {
            watches.trigger(applied.zxid(), events, replica);
        }
        Request request = applied.request();
        if (request.origin() == nodeId && request.requestId() != 0) {
            PendingWrite write = pending.remove(request.requestId());
            if (write != null) {
                write.connection().onApplied(write, applied);
            }
        }
        Op op = request.op();
        if (op instanceof Op.CloseSession) {
            closeSessionConnection(request.sessionId(), "session closed or expired");
        } else if (op instanceof Op.ReattachSession && request.origin() != nodeId
                && applied.result().code() == ErrorCode.OK) {
            closeSessionConnection(request.sessionId(), "session moved to node " + request.origin());
        }
    }

    private void closeSessionConnection(long sessionId, String why) {
        Connection connection = sessions.remove(sessionId);
        if (connection != null) {
            LOG.debug("closing the connection of session 0x{}: {}", Long.toHexString(sessionId), why);
            connection.closeAfterQueued();
        }
    }

    Connection bound(long sessionId) {
        return sessions.get(sessionId);
    }

    void bind(long sessionId, Connection connection) {
        sessions.put(sessionId, connection);
    }

    void unbind(long sessionId, Connection connection) {
        sessions.remove(sessionId, connection);
    }

    /** Notes traffic from a session; {@link #flushTouches} reports it to the log in one batch. */
    void touch(long sessionId) {
        if (sessionId != 0) {
            touched.add(sessionId);
        }
    }

    void flushTouches() {
        if (touched.isEmpty()) {
            return;
        }
        long[] ids = new long[touched.size()];
        int n = 0;
        for (Iterator<Long> it = touched.iterator(); it.hasNext() && n < ids.length; ) {
            ids[n++] = it.next();
            it.remove();
        }
        if (n < ids.length) {
            ids = Arrays.copyOf(ids, n);
        }
        if (!port.submit(new Request(nodeId, 0, 0, List.of(), new Op.Touch(ids)))) {
            LOG.warn("the log refused a touch of {} sessions", n);
        }
    }

    /** Counts a new connection from an address; false if that address is at {@code maxClientCnxns}. */
    boolean admit(InetAddress address) {
        int max = config.maxClientCnxns();
        int now = perIp.merge(address, 1, Integer::sum);
        if (max > 0 && now > max) {
            release(address);
            return false;
        }
        return true;
    }

    void release(InetAddress address) {
        perIp.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    void connectionClosed(Connection connection) {
        connections.remove(connection);
        paused.remove(connection);
        watches.removeAll(connection);
        if (connection.sessionId() != 0) {
            unbind(connection.sessionId(), connection);
        }
    }

    FourLetterWords fourLetterWords() {
        return fourLetterWords;
    }

    int pendingCount() {
        return pending.size();
    }
}
