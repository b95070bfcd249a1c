package io.accord.cluster;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The cross-field rules of {@link AeronReplicationPort.Context#conclude()}; messages quote the values. */
final class ContextRules {
    private ContextRules() {
    }

    static void checkPortRanges(List<Member> members) {
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                Member a = members.get(i);
                Member b = members.get(j);
                if (a.host().equals(b.host())
                        && Math.abs(a.basePort() - b.basePort()) < Member.PORTS_PER_MEMBER) {
                    throw new IllegalArgumentException("members " + a.id() + " and " + b.id() + " on " + a.host()
                            + ": base ports " + a.basePort() + " and " + b.basePort() + " overlap (expected: >= "
                            + Member.PORTS_PER_MEMBER + " apart)");
                }
            }
        }
    }

    static void validateSizes(AeronReplicationPort.Context c) {
        for (String[] t : new String[][] {{"ingressTermLength", "" + c.ingressTermLength()},
                {"logTermLength", "" + c.logTermLength()}, {"ipcTermLength", "" + c.ipcTermLength()}}) {
            int v = Integer.parseInt(t[1]);
            if (v < 64 * 1024 || v > (1 << 30) || Integer.bitCount(v) != 1) {
                throw new IllegalArgumentException(t[0] + ": " + v
                        + " (expected: a power of two in 65536..1073741824)");
            }
        }
        long maxMessage = Math.min(c.ingressTermLength() / 8, 16 << 20)
                - AeronReplicationPort.Configuration.SESSION_HEADER_LENGTH;
        if (c.maxEntryLength() <= 0 || c.maxEntryLength() > maxMessage) {
            throw new IllegalArgumentException("maxEntryLength: " + c.maxEntryLength() + " (expected: 1.." + maxMessage
                    + ", what ingressTermLength " + c.ingressTermLength() + " carries in one message)");
        }
        if (c.logTermLength() < c.ingressTermLength()) {
            throw new IllegalArgumentException("logTermLength: " + c.logTermLength()
                    + " (expected: >= ingressTermLength "
                    + c.ingressTermLength() + ", or the leader drops large messages)");
        }
        if (c.archiveSegmentLength() < c.logTermLength() || Integer.bitCount(c.archiveSegmentLength()) != 1) {
            throw new IllegalArgumentException("archiveSegmentLength: " + c.archiveSegmentLength()
                    + " (expected: a power of two >= logTermLength " + c.logTermLength() + ")");
        }
        if (c.countersBufferLength() < 64 * 1024) {
            throw new IllegalArgumentException("countersBufferLength: " + c.countersBufferLength()
                    + " (expected: >= 65536)");
        }
        if (c.queueCapacity() < 2 || c.maxBatchRequests() < 1 || c.maxPendingEntries() < 1) {
            throw new IllegalArgumentException("queueCapacity: " + c.queueCapacity() + ", maxBatchRequests: "
                    + c.maxBatchRequests() + ", maxPendingEntries: " + c.maxPendingEntries()
                    + " (expected: >= 2, >= 1, >= 1)");
        }
        if (c.maxConcurrentSessions() < c.members().size() + 1) {
            throw new IllegalArgumentException("maxConcurrentSessions: " + c.maxConcurrentSessions()
                    + " (expected: > number of members " + c.members().size() + ")");
        }
    }

    static void validateTimes(AeronReplicationPort.Context c) {
        if (c.leaderHeartbeatIntervalNs() <= 0 || c.leaderHeartbeatIntervalNs() >= c.leaderHeartbeatTimeoutNs()) {
            throw new IllegalArgumentException("leaderHeartbeatIntervalNs: " + c.leaderHeartbeatIntervalNs()
                    + " (expected: > 0 and < leaderHeartbeatTimeoutNs " + c.leaderHeartbeatTimeoutNs() + ")");
        }
        if (c.electionTimeoutNs() <= 0 || c.startupCanvassTimeoutNs() <= 0 || c.sessionTimeoutNs() <= 0) {
            throw new IllegalArgumentException("electionTimeoutNs: " + c.electionTimeoutNs()
                    + ", startupCanvassTimeoutNs: " + c.startupCanvassTimeoutNs() + ", sessionTimeoutNs: "
                    + c.sessionTimeoutNs() + " (expected: all > 0)");
        }
        if (c.startupCanvassTimeoutNs() % c.leaderHeartbeatTimeoutNs() != 0) {
            throw new IllegalArgumentException("startupCanvassTimeoutNs: " + c.startupCanvassTimeoutNs()
                    + " (expected: a multiple of leaderHeartbeatTimeoutNs " + c.leaderHeartbeatTimeoutNs() + ")");
        }
        if (c.tickIntervalMs() <= 0) {
            throw new IllegalArgumentException("tickIntervalMs: " + c.tickIntervalMs() + " (expected: > 0)");
        }
        if (c.driverTimerIntervalNs() != 0 && (c.driverTimerIntervalNs() < TimeUnit.MILLISECONDS.toNanos(1)
                || c.driverTimerIntervalNs() > TimeUnit.SECONDS.toNanos(1))) {
            throw new IllegalArgumentException("driverTimerIntervalNs: " + c.driverTimerIntervalNs()
                    + " (expected: 0 for Aeron's default, or 1 ms..1 s)");
        }
        byte[] secret = c.clusterSecret();
        if (secret != null && secret.length < 16) {
            throw new IllegalArgumentException("clusterSecret: " + secret.length + " bytes (expected: >= 16)");
        }
        if (c.logPurgeCheckIntervalMs() < 0) {
            throw new IllegalArgumentException("logPurgeCheckIntervalMs: " + c.logPurgeCheckIntervalMs()
                    + " (expected: >= 0; 0 = never purge the log)");
        }
        if (c.snapshotIntervalMs() < 0) {
            throw new IllegalArgumentException("snapshotIntervalMs: " + c.snapshotIntervalMs()
                    + " (expected: >= 0; 0 = no periodic snapshots)");
        }
        long tickNs = TimeUnit.MILLISECONDS.toNanos(c.tickIntervalMs());
        if (c.livenessTimeoutNs() <= tickNs) {
            throw new IllegalArgumentException("livenessTimeoutNs: " + c.livenessTimeoutNs()
                    + " (expected: > tickIntervalMs " + c.tickIntervalMs() + " ms, or no member would ever serve)");
        }
        if (c.resendAfterNs() <= 0) {
            throw new IllegalArgumentException("resendAfterNs: " + c.resendAfterNs() + " (expected: > 0)");
        }
    }
}
