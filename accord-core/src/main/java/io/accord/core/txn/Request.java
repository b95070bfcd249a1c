package io.accord.core.txn;

import io.accord.core.acl.Id;
import java.util.List;

/**
 * One request in the log.
 *
 * @param origin    the node that submitted it (1..254); 0 for entries made by the cluster itself (timers)
 * @param requestId the origin's own correlation id, handed back in {@link Applied} so the origin can answer its
 *                  client; opaque to the state machine
 * @param sessionId the client session, 0 when there is none yet (createSession) or for system ops
 * @param authIds   the authenticated ids of the submitting connection ({@code ip:...}, {@code digest:...},
 *                  {@code super:} when it matched the super digest); ACL checks use exactly these
 * @param op        what to do
 */
public record Request(int origin, long requestId, long sessionId, List<Id> authIds, Op op) {
}
