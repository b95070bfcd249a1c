package io.accord.core.txn;

import java.util.List;

/**
 * What applying one request did, handed to the {@link ApplyListener} of every replica.
 *
 * <p>For requests made inside apply (a session expired by a {@link Op.Tick}, a TTL node or empty container
 * removed by it), {@code request} is synthesized: origin 0, request id 0, the expired session's id with a
 * {@link Op.CloseSession}, or a {@link Op.DeleteContainer} with the path.
 *
 * @param zxid    the transaction's zxid; for non-transactions (sync, touch, reattach) the last zxid, which is the
 *                reply header's zxid for them
 * @param request the request applied
 * @param result  its outcome
 * @param events  the watch triggers it caused, in order; empty for failures and non-transactions
 */
public record Applied(long zxid, Request request, Result result, List<ChangeEvent> events) {
}
