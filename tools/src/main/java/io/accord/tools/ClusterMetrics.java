package io.accord.tools;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.accord.cluster.AeronReplicationPort;
import io.accord.cluster.MemberStats;
import io.accord.zk.server.ZkMetrics;
import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.cluster.service.ClusterCounters;
import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The cluster layer's metrics in a node's registry (so JMX and the AdminServer's {@code /metrics} show them beside
 * the client-port metrics), read from {@link AeronReplicationPort#stats()} and, for the commit position and the
 * error count, from the Aeron media driver's counters file (mapped read-only, as AeronStat does).
 *
 * <p>Threading: gauges are read from any thread (JMX, the admin server); {@link #close} unmaps the counters file,
 * after which the Aeron-backed gauges read -1.
 */
final class ClusterMetrics implements AutoCloseable {
    static final String PREFIX = "accord.cluster.";
    /** Gauge: the log position this node's replica has applied. */
    static final String APPLIED_POSITION = PREFIX + "applied_position";
    static final String SNAPSHOTS_TAKEN = PREFIX + "snapshots_taken";
    static final String SNAPSHOTS_LOADED = PREFIX + "snapshots_loaded";
    /** Gauge: Aeron's role code, 0 follower, 1 candidate, 2 leader. */
    static final String ROLE = PREFIX + "role";
    static final String UNAPPLIED = PREFIX + "unapplied_entries";
    /** Counters: log entries this node offered, and the client requests in them (their ratio: the batch size). */
    static final String ENTRIES_SENT = PREFIX + "entries_sent";
    static final String REQUESTS_SENT = PREFIX + "requests_sent";
    static final String CHECKPOINT_POSITION = PREFIX + "checkpoint_position";
    static final String DURABLE_POSITION = PREFIX + "durable_position";
    static final String LEADERSHIP_TERM = PREFIX + "leadership_term";
    /** Gauge: on the leader, the followers in sync with it ({@link AeronReplicationPort#syncedFollowers()}). */
    static final String SYNCED_FOLLOWERS = PREFIX + "synced_followers";
    /** Gauge: how long this member's last snapshot took to write, in ms. */
    static final String SNAPSHOT_LAST_MS = PREFIX + "snapshot_last_ms";
    /** Gauge: how long all of this member's snapshots since start took to write, in ms. */
    static final String SNAPSHOT_TOTAL_MS = PREFIX + "snapshot_total_ms";
    /** Gauge: where this member's archived log starts (moves forward as old segments are purged). */
    static final String LOG_START_POSITION = PREFIX + "log_start_position";
    static final String LOG_PURGES = PREFIX + "log_purges";
    /** Gauges: how often this member woke the others after a quiet spell, and was woken by them. */
    static final String DOORBELL_RINGS = PREFIX + "doorbell_rings";
    static final String DOORBELLS_HEARD = PREFIX + "doorbells_heard";

    private final AeronReplicationPort port;
    private final String aeronDir;
    private MappedByteBuffer cnc;
    private CountersReader counters;
    private int commitCounterId = -1;
    private boolean closed;

    private ClusterMetrics(AeronReplicationPort port) {
        this.port = port;
        this.aeronDir = port.context().aeronDirectoryName();
    }

    /** Registers the gauges in {@code registry}; close the result after the port has stopped. */
    static ClusterMetrics register(AeronReplicationPort port, MetricRegistry registry) {
        ClusterMetrics m = new ClusterMetrics(port);
        m.stat(registry, APPLIED_POSITION, MemberStats::appliedPosition);
        m.stat(registry, SNAPSHOTS_TAKEN, MemberStats::snapshotsTaken);
        m.stat(registry, SNAPSHOTS_LOADED, MemberStats::snapshotsLoaded);
        registry.register(ZkMetrics.Cluster.LEADER_CHANGES, new StatCounter(port, MemberStats::newLeaderEvents));
        registry.register(ENTRIES_SENT, new StatCounter(port, MemberStats::entriesSent));
        registry.register(REQUESTS_SENT, new StatCounter(port, MemberStats::requestsSent));
        Timer snapshots = registry.timer(ZkMetrics.Cluster.SNAPSHOT);
        port.onSnapshotTaken(ns -> snapshots.update(ns, TimeUnit.NANOSECONDS));
        m.stat(registry, SNAPSHOT_LAST_MS, s -> TimeUnit.NANOSECONDS.toMillis(s.lastSnapshotNanos()));
        m.stat(registry, SNAPSHOT_TOTAL_MS, s -> TimeUnit.NANOSECONDS.toMillis(s.snapshotNanosTotal()));
        m.stat(registry, LOG_START_POSITION, MemberStats::logStartPosition);
        m.stat(registry, LOG_PURGES, MemberStats::logPurges);
        m.stat(registry, DOORBELL_RINGS, MemberStats::doorbellRings);
        m.stat(registry, DOORBELLS_HEARD, MemberStats::doorbellsHeard);
        registry.register(SYNCED_FOLLOWERS, (Gauge<Integer>) port::syncedFollowers);
        m.stat(registry, ROLE, s -> roleCode(s.role()));
        m.stat(registry, UNAPPLIED, MemberStats::unapplied);
        m.stat(registry, CHECKPOINT_POSITION, MemberStats::checkpointPosition);
        m.stat(registry, DURABLE_POSITION, MemberStats::durablePosition);
        m.stat(registry, LEADERSHIP_TERM, MemberStats::leadershipTermId);
        registry.register(ZkMetrics.Cluster.COMMIT_POSITION, (Gauge<Long>) m::commitPosition);
        registry.register(ZkMetrics.Cluster.APPLY_LAG, (Gauge<Long>) m::applyLag);
        registry.register(ZkMetrics.Cluster.AERON_ERRORS, (Gauge<Long>) m::aeronErrors);
        return m;
    }

    private void stat(MetricRegistry registry, String name, ToLongFunction<MemberStats> value) {
        registry.register(name, (Gauge<Long>) () -> value.applyAsLong(port.stats()));
    }

    /**
     * A monotonic count kept by the port, shown as a Dropwizard {@link Counter} (so exporters type it as a
     * counter): {@code leader_changes} counts the new-leader events this node's ingress client received.
     */
    private static final class StatCounter extends Counter {
        private final AeronReplicationPort port;
        private final ToLongFunction<MemberStats> value;

        StatCounter(AeronReplicationPort port, ToLongFunction<MemberStats> value) {
            this.port = port;
            this.value = value;
        }

        @Override
        public long getCount() {
            return value.applyAsLong(port.stats());
        }

        @Override
        public void inc(long n) {
            throw new UnsupportedOperationException("counted by the cluster member");
        }

        @Override
        public void dec(long n) {
            throw new UnsupportedOperationException("counted by the cluster member");
        }
    }

    /** Aeron's {@code Cluster.Role} codes. */
    static long roleCode(String role) {
        return switch (role) {
            case "FOLLOWER" -> 0;
            case "CANDIDATE" -> 1;
            case "LEADER" -> 2;
            default -> -1;
        };
    }

    /** The cluster's commit position as this member's consensus module knows it, or -1 before it is known. */
    synchronized long commitPosition() {
        CountersReader r = reader();
        if (r == null) {
            return -1;
        }
        if (commitCounterId < 0 || r.getCounterState(commitCounterId) != CountersReader.RECORD_ALLOCATED
                || r.getCounterTypeId(commitCounterId) != AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID) {
            commitCounterId = ClusterCounters.find(r, AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID, 0);
            if (commitCounterId == CountersReader.NULL_COUNTER_ID) {
                commitCounterId = -1;
                return -1;
            }
        }
        return r.getCounterValue(commitCounterId);
    }

    /** Committed minus applied log position (bytes of committed log this replica has not applied), or -1. */
    long applyLag() {
        long commit = commitPosition();
        return commit < 0 ? -1 : Math.max(0, commit - port.stats().appliedPosition());
    }

    /** Errors counted by the media driver, the archive, the consensus module and the service container, or -1. */
    synchronized long aeronErrors() {
        CountersReader r = reader();
        if (r == null) {
            return -1;
        }
        long[] sum = {r.getCounterValue(AeronCounters.SYSTEM_COUNTER_ID_ERRORS)};
        r.forEach((counterId, typeId, key, label) -> {
            if (typeId == AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID
                    || typeId == AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID
                    || typeId == AeronCounters.CLUSTER_CLUSTERED_SERVICE_ERROR_COUNT_TYPE_ID) {
                sum[0] += r.getCounterValue(counterId);
            }
        });
        return sum[0];
    }

    /** The labels of the media driver's counters that start with {@code prefix} (none before it runs). */
    synchronized List<String> counterLabels(String prefix) {
        List<String> labels = new ArrayList<>();
        CountersReader r = reader();
        if (r != null) {
            r.forEach((value, id, label) -> {
                if (label.startsWith(prefix)) {
                    labels.add(label);
                }
            });
        }
        return labels;
    }

    /** Maps the driver's counters file on first use (it exists once the port has started). */
    private CountersReader reader() {
        if (closed) {
            return null;
        }
        if (counters == null) {
            File file = new File(aeronDir, CncFileDescriptor.CNC_FILE);
            if (!file.isFile() || file.length() < CncFileDescriptor.END_OF_METADATA_OFFSET) {
                return null;
            }
            MappedByteBuffer mapped = IoUtil.mapExistingFile(file, FileChannel.MapMode.READ_ONLY, "cnc");
            UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(mapped);
            if (meta.getInt(CncFileDescriptor.cncVersionOffset(0)) == 0
                    || !CncFileDescriptor.isCncFileLengthSufficient(meta, mapped.capacity())) {
                IoUtil.unmap(mapped);
                return null;
            }
            cnc = mapped;
            counters = new CountersReader(CncFileDescriptor.createCountersMetaDataBuffer(mapped, meta),
                    CncFileDescriptor.createCountersValuesBuffer(mapped, meta));
        }
        return counters;
    }

    @Override
    public synchronized void close() {
        closed = true;
        counters = null;
        if (cnc != null) {
            IoUtil.unmap(cnc);
            cnc = null;
        }
    }
}
