package io.accord.cluster;

import io.accord.core.txn.Applied;
import io.accord.core.txn.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.concurrent.locks.LockSupport;

/**
 * The victim process of {@link KillRestartTest}. Persistent members writing with a window of outstanding
 * requests and printing {@code ACK <member> <i>} once that member's own replica applied {@code /<prefix>-<member>-<i>},
 * and {@code ROLE <member> <role>} when a member's role changes. It runs until it is killed.
 *
 * <p>Arguments: {@code <root dir> <base port> all} runs all three members in this JVM; {@code <root dir>
 * <base port> <id>} runs member {@code id} only (the same dirs and ports {@link TestCluster#at} uses); an optional
 * fourth argument replaces the path prefix {@code k} (a restarted incarnation writes new paths), or is
 * {@code idle} for members that write nothing (CPU measurement) with the production timing (default heartbeats,
 * idle strategy, a 1 s tick as for tickTime 2000), or {@code idle-backoff} for the same with the settings of
 * before {@link LowCpuIdleStrategy} (Agrona's back-off, 100 ms heartbeats), to compare.
 */
public final class KillChild {
    private KillChild() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int base = Integer.parseInt(args[1]);
        Duration wait = Duration.ofSeconds(60);
        String prefix = args.length > 3 ? args[3] : "k";
        boolean idle = prefix.startsWith("idle");
        UnaryOperator<AeronReplicationPort.Context> timing = !idle ? UnaryOperator.identity()
                : ctx -> ctx.leaderHeartbeatTimeoutNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .leaderHeartbeatIntervalNs(AeronReplicationPort.Configuration.LEADER_HEARTBEAT_INTERVAL_NS)
                .startupCanvassTimeoutNs(2 * AeronReplicationPort.Configuration.LEADER_HEARTBEAT_TIMEOUT_NS)
                .tickIntervalMs(AeronReplicationPort.Configuration.TICK_INTERVAL_MS);
        UnaryOperator<AeronReplicationPort.Context> settings = !prefix.equals("idle-backoff") ? timing
                : ctx -> timing.apply(ctx).idleStrategy("backoff")
                .leaderHeartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(100));
        TestCluster c = TestCluster.at(root, base, 3, StorageMode.PERSISTENT, settings);
        List<Integer> ids = args[2].equals("all") ? List.of(1, 2, 3) : List.of(Integer.parseInt(args[2]));
        ids.forEach(c::start);
        c.awaitServing(wait);
        System.out.println("SERVING");
        System.out.flush();
        if (idle) {
            while (true) {
                LockSupport.park(); // idle members: nothing but Aeron's own agents and the replicated timer
            }
        }
        int window = 20;
        long[][] requests = new long[4][1_000_000];
        String[] roles = new String[4];
        int next = 0;
        int acked = 0;
        while (true) {
            while (next < acked + window) {
                for (int id : ids) {
                    requests[id][next] = c.submitCreate(id, "/" + prefix + "-" + id + "-" + next, wait);
                }
                next++;
            }
            for (int id : ids) {
                Applied a = c.awaitApplied(id, requests[id][acked], wait);
                if (!(a.result() instanceof Result.Created)) {
                    System.out.println("UNEXPECTED " + a);
                }
                System.out.println("ACK " + id + " " + acked);
                String role = c.node(id).stats().role();
                if (!role.equals(roles[id])) {
                    roles[id] = role;
                    System.out.println("ROLE " + id + " " + role);
                }
            }
            System.out.flush();
            acked++;
        }
    }
}
