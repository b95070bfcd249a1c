package io.accord.core.image;

/** One live session (ephemerals are found from the nodes' ephemeralOwner). */
public record SessionImage(long sessionId, int timeoutMs, byte[] password, int owner, long deadlineMs) {
}
