package io.accord.core.txn;

import io.accord.core.acl.Acl;
import java.util.List;

/**
 * One change that watchers may be told about, reported by the state machine for every applied write
 * (PROTOCOL.md 6.3). The state machine only reports; matching watchers is each node's job.
 *
 * @param type what happened
 * @param path the node the event is about: the changed node, or the parent for {@code NODE_CHILDREN_CHANGED}
 * @param acl  the ACL of that node when the change happened (for a deleted node, its ACL before deletion), so
 *             that a node can deliver the event only to connections with READ on it (ZooKeeper 3.9.2+)
 */
public record ChangeEvent(EventType type, String path, List<Acl> acl) {
}
