package io.accord.zk.server;

import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.ConnectRequest;

/**
 * A request this node submitted to the log and not yet seen applied, found again by its request id when the
 * local replica applies it.
 *
 * @param request    the client request, or null for a handshake (createSession / reattach)
 * @param connect    the handshake's ConnectRequest, or null
 * @param timeoutMs  the negotiated timeout (handshake only)
 * @param password   the session password (handshake only)
 * @param startNanos when the request arrived, for latency
 */
record PendingWrite(Connection connection, ClientRequest request, ConnectRequest connect, int timeoutMs,
                    byte[] password, long startNanos) {
}
