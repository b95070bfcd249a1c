package io.accord.core.image;

import java.util.SortedMap;

/**
 * The replicated counters that are not nodes, ACLs or sessions.
 *
 * @param appliedPosition    log position of the last entry applied into this image
 * @param lastZxid           the last zxid handed out
 * @param lastSessionId      the last session id handed out (0 before the first)
 * @param lastTimeMs         log time of the last applied entry
 * @param lastContainerCheck log time of the last container/TTL sweep
 * @param originSequences    last applied {@code LogEntry.sequence} per origin (for deduplicating resends)
 */
public record MetaImage(
        long appliedPosition,
        long lastZxid,
        long lastSessionId,
        long lastTimeMs,
        long lastContainerCheck,
        SortedMap<Integer, Long> originSequences) {
}
