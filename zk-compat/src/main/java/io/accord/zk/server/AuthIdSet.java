package io.accord.zk.server;

import io.accord.core.acl.Id;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's authenticated ids, listed in the order ZooKeeper 3.9 lists them. The order is visible to clients:
 * {@code whoAmI} returns the ids in it, and an {@code auth} ACL entry expands to them in it (so {@code getACL}
 * shows it). ZooKeeper keeps the ids in a {@code ConcurrentHashMap}-backed set of jute {@code Id}s, so this keeps
 * the same kind of set, keyed by a value whose hash is jute's {@code Id.hashCode()}, and lists its iteration order.
 *
 * <p>Threading: {@link #add} on the connection's event loop; {@link #ids} from any thread.
 */
final class AuthIdSet {
    private final Set<Key> set = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private volatile List<Id> ids = List.of();

    /** Adds ids (duplicates are ignored) and returns the new listing. */
    List<Id> add(List<Id> added) {
        for (Id id : added) {
            set.add(new Key(id));
        }
        List<Id> listing = new ArrayList<>(set.size());
        for (Key k : set) {
            listing.add(k.id);
        }
        ids = List.copyOf(listing);
        return ids;
    }

    List<Id> ids() {
        return ids;
    }

    /** An {@link Id} hashed as jute's generated {@code org.apache.zookeeper.data.Id.hashCode()}. */
    private record Key(Id id) {
        @Override
        public int hashCode() {
            int result = 17;
            result = 37 * result + id.scheme().hashCode();
            result = 37 * result + id.id().hashCode();
            return result;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id.equals(id);
        }
    }
}
