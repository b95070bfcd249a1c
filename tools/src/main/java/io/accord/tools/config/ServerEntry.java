package io.accord.tools.config;

/**
 * One {@code server.N=host:quorumPort:electionPort[:role][;[clientHost:]clientPort]} line of a zoo.cfg.
 *
 * @param clientHost null when the line names no client address
 * @param clientPort -1 when the line names no client port
 */
public record ServerEntry(int id, String host, int quorumPort, int electionPort, boolean observer,
        String clientHost, int clientPort) {
}
