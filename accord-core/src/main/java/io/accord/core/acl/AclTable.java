package io.accord.core.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Interned ACL lists with reference counts, as ZooKeeper's {@code ReferenceCountedACLCache}: nodes store an int
 * id. Ids are deterministic: a new list takes the lowest free id, so two replicas with the same live lists (one
 * restored from an image, one that applied the whole log) hand out the same ids. Lookups by value go through a
 * {@link TreeMap} keyed by a canonical string (O(log n) in the number of distinct lists, which is small).
 *
 * <p>Threading: not thread-safe; apply thread under the write lock, readers under the read lock.
 */
public final class AclTable {
    private final ArrayList<Entry> byId = new ArrayList<>();
    private final TreeMap<String, Entry> byKey = new TreeMap<>();
    private final TreeSet<Integer> free = new TreeSet<>();

    private static final class Entry {
        final int id;
        final List<Acl> acl;
        final String key;
        long refs;

        Entry(int id, List<Acl> acl, String key) {
            this.id = id;
            this.acl = acl;
            this.key = key;
        }
    }

    /** Receives interned lists in id order. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int id, List<Acl> acl);
    }

    /** The id of {@code acl}, interning it if new; its reference count goes up by one. */
    public int retain(List<Acl> acl) {
        String key = keyOf(acl);
        Entry e = byKey.get(key);
        if (e == null) {
            Integer f = free.pollFirst();
            int id = f != null ? f : byId.size();
            e = new Entry(id, List.copyOf(acl), key);
            if (id == byId.size()) {
                byId.add(e);
            } else {
                byId.set(id, e);
            }
            byKey.put(key, e);
        }
        e.refs++;
        return e.id;
    }

    /** Adds a reference to an existing id (loading). */
    public void retain(int id) {
        entry(id).refs++;
    }

    /** Drops one reference; the list is forgotten when none remain. Returns true if it was removed. */
    public boolean release(int id) {
        Entry e = entry(id);
        if (--e.refs > 0) {
            return false;
        }
        byKey.remove(e.key);
        if (id == byId.size() - 1) {
            byId.remove(id);
            while (!byId.isEmpty() && byId.get(byId.size() - 1) == null) {
                free.remove(byId.size() - 1);
                byId.remove(byId.size() - 1);
            }
        } else {
            byId.set(id, null);
            free.add(id);
        }
        return true;
    }

    /** The list with this id (immutable). */
    public List<Acl> get(int id) {
        return entry(id).acl;
    }

    public boolean contains(int id) {
        return id >= 0 && id < byId.size() && byId.get(id) != null;
    }

    /** Puts a list under a given id with no references (loading an image). */
    public void load(int id, List<Acl> acl) {
        if (id < 0) {
            throw new IllegalArgumentException("aclId: " + id + " (expected: >= 0)");
        }
        while (byId.size() <= id) {
            free.add(byId.size());
            byId.add(null);
        }
        if (byId.get(id) != null) {
            throw new IllegalArgumentException("aclId: " + id + " loaded twice");
        }
        String key = keyOf(acl);
        if (byKey.containsKey(key)) {
            throw new IllegalArgumentException("aclId: " + id + " duplicates aclId " + byKey.get(key).id);
        }
        Entry e = new Entry(id, List.copyOf(acl), key);
        byId.set(id, e);
        free.remove(id);
        byKey.put(key, e);
    }

    /** Forgets loaded lists that no node refers to (end of loading). */
    public void dropUnreferenced() {
        for (int id = byId.size() - 1; id >= 0; id--) {
            Entry e = byId.get(id);
            if (e != null && e.refs == 0) {
                e.refs = 1;
                release(id);
            }
        }
    }

    public int size() {
        return byKey.size();
    }

    /** Visits every list in id order. */
    public void forEach(Visitor v) {
        for (Entry e : byId) {
            if (e != null) {
                v.visit(e.id, e.acl);
            }
        }
    }

    private Entry entry(int id) {
        Entry e = id >= 0 && id < byId.size() ? byId.get(id) : null;
        if (e == null) {
            throw new IllegalStateException("unknown aclId: " + id);
        }
        return e;
    }

    private static String keyOf(List<Acl> acl) {
        StringBuilder sb = new StringBuilder();
        for (Acl a : acl) {
            sb.append(a.perms()).append('\u0000').append(a.id().scheme()).append('\u0000')
                    .append(a.id().id()).append('\u0001');
        }
        return sb.toString();
    }
}
