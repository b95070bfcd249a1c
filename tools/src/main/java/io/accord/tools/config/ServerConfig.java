package io.accord.tools.config;

import io.accord.zk.server.TlsSettings;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * Everything {@code accord server} runs with, parsed from a zoo.cfg (or the no-argument defaults). Times are in
 * milliseconds.
 *
 * @param myId                     this member's id: {@code <dataDir>/myid} in ensemble mode, 1 when standalone
 * @param servers                  the {@code server.N} lines by id; empty when standalone
 * @param memoryMode               {@code accord.mode=memory}: no fsync, no Xodus, durability by replication only
 * @param fourLetterWordWhitelist  {@code 4lw.commands.whitelist}, as written ({@code srvr} by default)
 * @param superDigest              {@code super:<base64 sha1>} or null
 * @param maxBuffer                {@code jute.maxbuffer}: largest frame and value (1,048,575 by default)
 * @param accordProperties         every {@code accord.*} key other than {@code accord.mode}, for the cluster layer
 * @param globalOutstandingLimit   requests in flight over the node before busy connections stop reading
 * @param secureClientPortAddress  where the TLS client port listens (default: the clientPort's address)
 * @param clientTls                the {@code ssl.*} settings of {@code secureClientPort}; null when there is none
 */
public record ServerConfig(
        int tickTimeMs,
        int initLimit,
        int syncLimit,
        Path dataDir,
        Path dataLogDir,
        String clientPortAddress,
        int clientPort,
        int secureClientPort,
        int maxClientCnxns,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int myId,
        SortedMap<Integer, ServerEntry> servers,
        int snapRetainCount,
        int purgeIntervalHours,
        String fourLetterWordWhitelist,
        boolean adminEnableServer,
        String adminServerAddress,
        int adminServerPort,
        String superDigest,
        int maxBuffer,
        boolean extendedTypesEnabled,
        boolean skipAcl,
        long containerCheckIntervalMs,
        int containerMaxPerMinute,
        long containerMaxNeverUsedIntervalMs,
        boolean memoryMode,
        SortedMap<String, String> accordProperties,
        int globalOutstandingLimit,
        String secureClientPortAddress,
        TlsSettings clientTls) {

    /** Whether this member is part of an ensemble described by {@code server.N} lines. */
    public boolean ensemble() {
        return !servers.isEmpty();
    }
}
