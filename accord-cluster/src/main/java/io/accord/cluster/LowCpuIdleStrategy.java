package io.accord.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * The default idle strategy of every Aeron agent of a member: Agrona's back-off (a few spins, a few yields, then
 * parks doubling from 1 µs to 1 ms) for a short idle period, and only after {@code deepAfterNs} without work parks
 * that keep doubling up to {@code deepMaxParkNs} (default 10 ms).
 *
 * <p>Why: about fifteen agent threads per member that each wake 1000 times per second when idle cost three idle
 * members on a 2-core box 0.25–0.4 of a core, mostly the shared media driver's duty cycle (each one polls every
 * socket). Under load an agent finds work before its idle period reaches {@code deepAfterNs}, so throughput and
 * synchronous latency stay those of the plain back-off (AERON.md section 4); only the first message after a quiet
 * spell waits up to {@code deepMaxParkNs} per agent it passes.
 *
 * <p>What ends a deep spell:
 * <ul>
 *   <li>With a {@link MemberActivity} (how a member's agents are built, with deep parks of {@link #QUIET_PARK_NS}):
 *   client work anywhere in the cluster, which also unparks every deep-parked agent of the member at once (and a
 *   {@link Doorbell} those of the other members), or a duty cycle with at least {@code bulkWork}
 *   units of work (bytes for the driver and the archive: a catch-up or a snapshot transfer). No deep spell starts
 *   within the activity's quiet period after client work. Heartbeats, status messages and timer ticks do not end
 *   a spell, nor shorten the next park: in an idle cluster they arrive dozens of times a second on every member.
 *   <li>Without one: a work within {@code 1.5 x maxParkNs} of the previous work, which is how traffic looks to a
 *   single agent; an isolated work is housekeeping and the spell goes on, its next parks starting at
 *   {@code maxParkNs} (see {@link #idle(int)}).
 * </ul>
 *
 * <p>Not thread-safe: one instance per agent.
 */
public final class LowCpuIdleStrategy implements IdleStrategy {
    public static final String ALIAS = "low-cpu";
    public static final int DEFAULT_MAX_SPINS = 10;
    public static final int DEFAULT_MAX_YIELDS = 5;
    /**
     * The first park of a back-off. Linux parks at least about 50 µs (timer slack) whatever is asked, so a 1 µs
     * start only meant six near-identical 50 µs wake-ups before the doubling took effect: on a 2-core box running
     * three members that churn cost more than it saved (A/B, 4 pairs each way round, 3 members in memory mode:
     * 50 µs gave +21% set w=100, +16% set w=1 with a 13% lower p50, +9% mixed; 150 µs was no better than 50).
     */
    public static final long DEFAULT_MIN_PARK_NS = 50_000;
    public static final long DEFAULT_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    public static final long DEFAULT_DEEP_AFTER_NS = TimeUnit.MILLISECONDS.toNanos(20);
    public static final long DEFAULT_DEEP_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The deep park of a member's agents while the member is quiet. Long, because nothing waits on it: client work
     * rings the doorbell of every member ({@link Doorbell}), and an election in progress rings it too.
     */
    public static final long QUIET_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Work units in one duty cycle that end a deep spell even without client work (bytes for the driver). */
    public static final int DEFAULT_BULK_WORK = 4096;

    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int PARKING = 3;

    private final int maxSpins;
    private final int maxYields;
    private final long minParkNs;
    private final long maxParkNs;
    private final long deepAfterNs;
    private final long deepMaxParkNs;
    private final long burstGapNs;
    /** Null: a deep spell ends on close works, as the class comment says. */
    private final MemberActivity activity;
    private final int bulkWork;
    private Thread agentThread;
    private int state = NOT_IDLE;
    private int spins;
    private int yields;
    private long parkNs;
    private long parkingSinceNs;
    /** In a deep idle spell: set when a park reached past {@code maxParkNs}, cleared by a burst of work. */
    private boolean deep;
    private long lastWorkNs;
    /** How many works in a row came within {@code burstGapNs} of the one before. */
    private int closeWorks;

    public LowCpuIdleStrategy() {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NS, DEFAULT_MAX_PARK_NS, DEFAULT_DEEP_AFTER_NS,
                DEFAULT_DEEP_MAX_PARK_NS);
    }

    /**
     * @param maxSpins      spins ({@link Thread#onSpinWait()}) before yielding
     * @param maxYields     yields before parking
     * @param minParkNs     first park
     * @param maxParkNs     parks double up to this during the first {@code deepAfterNs} of parking
     * @param deepAfterNs   after parking this long without work, parks keep doubling ...
     * @param deepMaxParkNs ... up to this
     */
    public LowCpuIdleStrategy(int maxSpins, int maxYields, long minParkNs, long maxParkNs, long deepAfterNs,
                              long deepMaxParkNs) {
        this(maxSpins, maxYields, minParkNs, maxParkNs, deepAfterNs, deepMaxParkNs, null, DEFAULT_BULK_WORK);
    }

    /** The defaults, with deep spells governed by {@code activity} (see the class comment). */
    LowCpuIdleStrategy(MemberActivity activity) {
        this(DEFAULT_MAX_SPINS, DEFAULT_MAX_YIELDS, DEFAULT_MIN_PARK_NS, DEFAULT_MAX_PARK_NS, DEFAULT_DEEP_AFTER_NS,
                QUIET_PARK_NS, activity, DEFAULT_BULK_WORK);
    }

    LowCpuIdleStrategy(int maxSpins, int maxYields, long minParkNs, long maxParkNs, long deepAfterNs,
                       long deepMaxParkNs, MemberActivity activity, int bulkWork) {
        if (bulkWork < 1) {
            throw new IllegalArgumentException("bulkWork: " + bulkWork + " (expected: >= 1)");
        }
        if (maxSpins < 0 || maxYields < 0 || minParkNs < 1 || maxParkNs < minParkNs || deepAfterNs < 0
                || deepMaxParkNs < maxParkNs) {
            throw new IllegalArgumentException("maxSpins " + maxSpins + ", maxYields " + maxYields + ", minParkNs "
                    + minParkNs + ", maxParkNs " + maxParkNs + ", deepAfterNs " + deepAfterNs + ", deepMaxParkNs "
                    + deepMaxParkNs + " (expected: spins, yields, deepAfterNs >= 0; 1 <= minParkNs <= maxParkNs "
                    + "<= deepMaxParkNs)");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.deepAfterNs = deepAfterNs;
        this.deepMaxParkNs = deepMaxParkNs;
        this.burstGapNs = maxParkNs + maxParkNs / 2;
        this.activity = activity;
        this.bulkWork = bulkWork;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            if (activity != null) {
                if (deep && (workCount >= bulkWork || !activity.quiet(System.nanoTime()))) {
                    deep = false;
                }
                state = NOT_IDLE;
            } else {
                work();
            }
        } else {
            idle();
        }
    }

    /**
     * Work in a deep idle spell that follows the previous work by more than {@code 4 x maxParkNs} is housekeeping
     * (the media driver's timers and heartbeats, the consensus module's 10 ms slow tick): the spell goes on, and
     * the next parks start at {@code maxParkNs} instead of ramping up from {@code minParkNs} again, which would
     * cost a dozen wake-ups each time. Work within {@code 1.5 x maxParkNs} of the previous work is traffic and ends
     * the spell. (Waiting for a third close work instead, to tell traffic from coinciding heartbeats, made a
     * synchronous write take 15 ms: a write's hops are single messages.)
     */
    private void work() {
        long now = System.nanoTime();
        closeWorks = now - lastWorkNs <= burstGapNs ? closeWorks + 1 : 0;
        if (deep && closeWorks > 0) {
            deep = false;
        }
        lastWorkNs = now;
        state = NOT_IDLE;
    }

    @Override
    public void idle() {
        switch (state) {
            case NOT_IDLE:
                if (deep && activity != null) {
                    state = PARKING; // housekeeping in a deep spell: straight back to the deep park
                    parkNs = deepMaxParkNs;
                    deepPark();
                    break;
                }
                state = SPINNING;
                spins = deep ? maxSpins : 0; // housekeeping in a deep spell: no spins, no yields
                yields = deep ? maxYields : 0;
                // fall through
            case SPINNING:
                if (spins++ < maxSpins) {
                    Thread.onSpinWait();
                    break;
                }
                state = YIELDING;
                // fall through
            case YIELDING:
                if (yields++ < maxYields) {
                    Thread.yield();
                    break;
                }
                state = PARKING;
                parkNs = deep ? maxParkNs : minParkNs;
                parkingSinceNs = System.nanoTime();
                // fall through
            default:
                if (deep && activity != null) {
                    deepPark();
                    break;
                }
                LockSupport.parkNanos(parkNs);
                long next = parkNs << 1;
                if (next > maxParkNs) {
                    if (!deep) {
                        long now = System.nanoTime();
                        deep = now - parkingSinceNs >= deepAfterNs && (activity == null || activity.quiet(now));
                    }
                    next = deep ? (activity != null ? deepMaxParkNs : Math.min(next, deepMaxParkNs)) : maxParkNs;
                }
                parkNs = next;
        }
    }

    /** A deep park that the activity's doorbell can cut short; client work ends the spell instead. */
    private void deepPark() {
        if (agentThread == null) {
            agentThread = Thread.currentThread();
        }
        if (activity.doze(agentThread)) {
            LockSupport.parkNanos(deepMaxParkNs);
        }
        if (!activity.quiet(System.nanoTime())) {
            deep = false; // back to the back-off, from its start
            state = NOT_IDLE;
        }
    }

    @Override
    public void reset() {
        deep = false;
        state = NOT_IDLE;
    }

    /** The park the next idle call would make in the parking phase (for tests). */
    long currentParkNs() {
        return state == PARKING ? parkNs : 0;
    }

    @Override
    public String alias() {
        return ALIAS;
    }

    @Override
    public String toString() {
        return "LowCpuIdleStrategy{spins=" + maxSpins + ", yields=" + maxYields + ", park=" + minParkNs + ".."
                + maxParkNs + " ns, then after " + deepAfterNs + " ns up to " + deepMaxParkNs + " ns"
                + (activity != null ? " while the member is quiet, bulk work " + bulkWork : "") + "}";
    }
}
