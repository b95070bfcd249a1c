package io.accord.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the cluster is doing client work, as one member sees it, and a doorbell that wakes the member's agents
 * out of their deep idle parks ({@link LowCpuIdleStrategy}).
 *
 * <p>Why: an idle cluster is not silent. Every UDP stream between members carries a heartbeat every 100 ms and a
 * status message every 200 ms, the leader sends commit positions, and the replicated timer ticks every second.
 * An agent that judged from its own work alone whether it is idle was woken by that chatter dozens of times a
 * second (the shared media driver ended its deep spell about 20 times a second, each costing some 30 extra
 * wake-ups). Client work is what needs low latency, and this member sees all of it: a request queued by its front
 * end, and every entry other than the batched session heartbeats that its service applies (whichever node it
 * came from). Leadership changes and snapshots count too, so that elections and snapshots run at full speed.
 *
 * <p>{@link #active()} is called on those paths; it costs a clock read and a volatile read, and a volatile write
 * at most once per millisecond. Agents call {@link #doze} before each deep park; the first {@link #active()} after
 * that unparks every agent thread that ever dozed.
 *
 * <p>Thread-safe.
 */
final class MemberActivity {
    /** Client work within this long keeps every agent out of deep parks. */
    static final long DEFAULT_QUIET_AFTER_NS = TimeUnit.SECONDS.toNanos(1);
    /** {@link #active()} stores the clock at most this often (fewer writes to a line every agent reads). */
    private static final long REFRESH_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long quietAfterNs;
    private final Set<Thread> dozers = ConcurrentHashMap.newKeySet();
    private volatile long lastActiveNs;
    /** Set by an agent before a deep park, cleared by the {@link #active()} that rings the doorbell. */
    private volatile boolean dozing;
    private volatile Doorbell doorbell;

    MemberActivity(long quietAfterNs) {
        if (quietAfterNs < REFRESH_NS) {
            throw new IllegalArgumentException("quietAfterNs: " + quietAfterNs + " (expected: >= " + REFRESH_NS
                    + ")");
        }
        this.quietAfterNs = quietAfterNs;
        this.lastActiveNs = System.nanoTime(); // a member that just started is busy: elections, catch-up
    }

    /**
     * Client work was seen: agents leave deep parks at once and stay out of them for the quiet period. Returns
     * true when this ended a quiet spell.
     */
    boolean active() {
        long now = System.nanoTime();
        long last = lastActiveNs;
        boolean wasQuiet = now - last >= quietAfterNs;
        if (now - last >= REFRESH_NS) {
            lastActiveNs = now;
        }
        // Read after the write above; doze() writes the flag, then reads the clock: one of the two sees the other.
        if (dozing) {
            dozing = false;
            dozers.removeIf(t -> !t.isAlive());
            for (Thread t : dozers) {
                LockSupport.unpark(t);
            }
        }
        return wasQuiet;
    }

    /**
     * Client work began here: as {@link #active()}, and when that ends a quiet spell also rings the other members'
     * doorbells, so that their agents are awake when the entry reaches them.
     */
    void activeEverywhere() {
        if (active()) {
            Doorbell b = doorbell;
            if (b != null) {
                b.ring();
            }
        }
    }

    void doorbell(Doorbell bell) {
        this.doorbell = bell;
    }

    /** True when no client work was seen for the quiet period. */
    boolean quiet(long nowNs) {
        return nowNs - lastActiveNs >= quietAfterNs;
    }

    /**
     * Called by an agent's thread just before a deep park: registers it for the doorbell. Returns false when work
     * came meanwhile (then the agent must not park deep).
     */
    boolean doze(Thread agent) {
        if (!dozers.contains(agent)) {
            dozers.add(agent);
        }
        dozing = true;
        return quiet(System.nanoTime());
    }

    /** True after an agent dozed off, until the next {@link #active()} (for tests). */
    boolean dozing() {
        return dozing;
    }
}
