package io.accord.compat.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.zookeeper.data.Stat;

/**
 * Turns one target's zxids, times and session ids into names that two conforming targets agree on.
 *
 * <ul>
 *   <li>A zxid becomes {@code z<n>}, n = the order in which this run first saw it. At its first
 *       sighting it also shows its rank among all zxids seen so far ({@code z5<3}: fifth distinct zxid,
 *       larger than exactly three earlier ones), so both equality and order relations are compared,
 *       never the values (a target may leave gaps, e.g. not consume zxids for failed writes).</li>
 *   <li>ctime/mtime are compared as relations: equal when czxid == mzxid, mtime &gt;= ctime otherwise;
 *       across nodes, time must not go backwards as zxids rise ({@link #violations()}).</li>
 *   <li>A session id becomes the name of the session slot it was opened in.</li>
 * </ul>
 * Not thread-safe: used by the test thread only.
 */
final class Normalizer {

    private final Map<Long, Integer> ordinals = new HashMap<>();
    private final TreeSet<Long> seen = new TreeSet<>();
    private final TreeMap<Long, Long> timeByZxid = new TreeMap<>();
    private final Map<Long, String> sessions = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    String zxid(long zxid) {
        if (zxid <= 0) {
            return "z" + zxid; // 0: the system nodes; -1: events fired by setWatches
        }
        Integer ordinal = ordinals.get(zxid);
        if (ordinal != null) {
            return "z" + ordinal;
        }
        int rank = seen.headSet(zxid).size();
        ordinal = ordinals.size() + 1;
        ordinals.put(zxid, ordinal);
        seen.add(zxid);
        return "z" + ordinal + "<" + rank;
    }

    void session(long sessionId, String name) {
        sessions.put(sessionId, name);
    }

    String owner(long ephemeralOwner) {
        if (ephemeralOwner == 0) {
            return "0";
        }
        String name = sessions.get(ephemeralOwner);
        return name != null ? name : "unknown:" + Long.toHexString(ephemeralOwner);
    }

    String stat(Stat s) {
        if (s == null) {
            return "null";
        }
        observeTime(s.getCzxid(), s.getCtime());
        observeTime(s.getMzxid(), s.getMtime());
        String times;
        if (s.getCzxid() == s.getMzxid()) {
            times = s.getCtime() == s.getMtime() ? "c=m" : "BAD(c!=m at one zxid)";
        } else {
            times = s.getCtime() <= s.getMtime() ? "c<=m" : "BAD(m<c)";
        }
        return "{cz=" + zxid(s.getCzxid()) + " mz=" + zxid(s.getMzxid()) + " pz=" + zxid(s.getPzxid()) + " t:" + times
            + " v=" + s.getVersion() + " cv=" + s.getCversion() + " av=" + s.getAversion()
            + " eo=" + owner(s.getEphemeralOwner()) + " dl=" + s.getDataLength() + " nc=" + s.getNumChildren() + "}";
    }

    private void observeTime(long zxid, long time) {
        if (zxid <= 0) {
            return;
        }
        Long previous = timeByZxid.putIfAbsent(zxid, time);
        if (previous != null) {
            if (previous != time) {
                violations.add("zxid " + zxid + " has times " + previous + " and " + time);
            }
            return;
        }
        Map.Entry<Long, Long> lower = timeByZxid.lowerEntry(zxid);
        Map.Entry<Long, Long> higher = timeByZxid.higherEntry(zxid);
        if (lower != null && lower.getValue() > time || higher != null && higher.getValue() < time) {
            violations.add("time goes backwards around zxid " + zxid);
        }
    }

    /** Broken invariants seen so far (a conforming target has none). */
    List<String> violations() {
        return violations;
    }
}
