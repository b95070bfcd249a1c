package io.accord.core.tree;

/**
 * How ZooKeeper encodes node kinds in the stored {@code ephemeralOwner} (PROTOCOL.md 4.6): 0 = persistent,
 * {@code Long.MIN_VALUE} = container, top byte 0xFF = TTL (ttl in the low 40 bits), anything else = the owning
 * session of an ephemeral node. Pure functions, thread-safe.
 */
public final class EphemeralType {
    public static final long CONTAINER = Long.MIN_VALUE;
    public static final long TTL_MASK = 0xFF00000000000000L;
    /** The largest TTL: 2^40 - 1 ms. */
    public static final long MAX_TTL = 0xFFFFFFFFFFL;

    private EphemeralType() {
    }

    public static boolean isContainer(long owner) {
        return owner == CONTAINER;
    }

    public static boolean isTtl(long owner) {
        return (owner & TTL_MASK) == TTL_MASK;
    }

    /** An ordinary ephemeral node owned by a session. */
    public static boolean isEphemeral(long owner) {
        return owner != 0 && owner != CONTAINER && !isTtl(owner);
    }

    public static long ttlOwner(long ttl) {
        return TTL_MASK | ttl;
    }

    public static long ttlOf(long owner) {
        return owner & MAX_TTL;
    }

    /** What clients see: 0 for containers and TTL nodes. */
    public static long visibleOwner(long owner) {
        return isEphemeral(owner) ? owner : 0;
    }
}
