package io.accord.core.session;

/**
 * A live session as the replicated table knows it.
 *
 * @param owner      the node (origin id) that holds the session's connection, as last recorded in the log
 * @param deadlineMs log time after which a tick expires the session unless it is touched
 */
public record SessionInfo(long sessionId, int timeoutMs, byte[] password, int owner, long deadlineMs) {
}
