package io.accord.core.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated session table and the per-session index of ephemeral node paths, both in sorted maps so that
 * every iteration (expiry, close, images) is deterministic. Session id allocation is here too: ids look like
 * ZooKeeper's, {@code origin << 56 | counter}, the 56-bit counter seeded once from the log time of the first
 * session ({@code (time << 24) >>> 8}) and incremented for each session after that. Costs: O(log n) per lookup,
 * O(n) per expiry scan.
 *
 * <p>Threading: not thread-safe; apply thread under the write lock, readers under the read lock.
 */
public final class SessionTable {
    private static final long LOW_56 = 0x00FFFFFFFFFFFFFFL;
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final TreeMap<Long, TreeSet<String>> ephemerals = new TreeMap<>();
    private int ephemeralCount;
    private long lastSessionId;

    public long lastSessionId() {
        return lastSessionId;
    }

    public void lastSessionId(long id) {
        this.lastSessionId = id;
    }

    /**
     * The next session id for a session created through {@code origin} (0..254) at log time {@code nowMs}. Never
     * 0, never {@code Long.MIN_VALUE}, never with a top byte of 0xFF, never the id of a live session.
     */
    public long nextSessionId(int origin, long nowMs) {
        long low = lastSessionId == 0 ? ((nowMs << 24) >>> 8) & LOW_56 : (lastSessionId + 1) & LOW_56;
        while (true) {
            if (low == 0) {
                low = 1;
            }
            long id = ((long) origin << 56) | low;
            if (!sessions.containsKey(id)) {
                lastSessionId = id;
                return id;
            }
            low = (low + 1) & LOW_56;
        }
    }

    public Session get(long id) {
        return sessions.get(id);
    }

    public void put(Session s) {
        sessions.put(s.id(), s);
    }

    public Session remove(long id) {
        return sessions.remove(id);
    }

    public int size() {
        return sessions.size();
    }

    /** All sessions in id order (live view: do not modify while iterating). */
    public Collection<Session> all() {
        return sessions.values();
    }

    /** Sessions whose deadline is before {@code nowMs}, ordered by deadline then id. */
    public List<Session> expired(long nowMs) {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.deadlineMs() < nowMs) {
                out.add(s);
            }
        }
        out.sort((a, b) -> a.deadlineMs() != b.deadlineMs()
                ? Long.compare(a.deadlineMs(), b.deadlineMs()) : Long.compare(a.id(), b.id()));
        return out;
    }

    public void addEphemeral(long sessionId, String path) {
        if (ephemerals.computeIfAbsent(sessionId, k -> new TreeSet<>()).add(path)) {
            ephemeralCount++;
        }
    }

    public void removeEphemeral(long sessionId, String path) {
        TreeSet<String> set = ephemerals.get(sessionId);
        if (set != null && set.remove(path)) {
            ephemeralCount--;
            if (set.isEmpty()) {
                ephemerals.remove(sessionId);
            }
        }
    }

    /** The session's ephemeral paths in sorted order (live view; copy before deleting). */
    public NavigableSet<String> ephemeralsOf(long sessionId) {
        TreeSet<String> set = ephemerals.get(sessionId);
        return set == null ? Collections.emptyNavigableSet() : set;
    }

    public int ephemeralCount() {
        return ephemeralCount;
    }
}
