package io.accord.core.txn;

import java.util.List;

/**
 * The unit the log carries: a batch of requests from one origin. A node numbers its entries; the state machine
 * applies an entry from an origin only if its sequence is above the last one applied from that origin, so an
 * entry resent after a leader change never applies twice. Entries of origin 0 (made by the cluster, e.g. timers)
 * are not numbered and always apply.
 *
 * @param origin   the submitting node, or 0
 * @param sequence strictly increasing per origin (ignored for origin 0)
 * @param requests applied in order, each with its own zxid when it is a transaction
 */
public record LogEntry(int origin, long sequence, List<Request> requests) {
}
