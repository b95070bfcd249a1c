package io.accord.core.session;

/**
 * One live session in the replicated table. Mutable; owned by the apply thread, read under the read lock.
 */
public final class Session {
    private final long id;
    private final byte[] password;
    private int timeoutMs;
    private int owner;
    private long deadlineMs;

    public Session(long id, int timeoutMs, byte[] password, int owner, long deadlineMs) {
        this.id = id;
        this.timeoutMs = timeoutMs;
        this.password = password.clone();
        this.owner = owner;
        this.deadlineMs = deadlineMs;
    }

    public long id() {
        return id;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    public int owner() {
        return owner;
    }

    public long deadlineMs() {
        return deadlineMs;
    }

    /** The password bytes themselves (do not modify). */
    public byte[] password() {
        return password;
    }

    /** Renews the deadline from log time. */
    public void touch(long nowMs) {
        deadlineMs = nowMs + timeoutMs;
    }

    /** A reattach: new owner and timeout, renewed deadline. */
    public void reattach(int newOwner, int newTimeoutMs, long nowMs) {
        owner = newOwner;
        if (newTimeoutMs > 0) {
            timeoutMs = newTimeoutMs;
        }
        touch(nowMs);
    }

    public SessionInfo info() {
        return new SessionInfo(id, timeoutMs, password.clone(), owner, deadlineMs);
    }
}
