package io.accord.zk.proto;

/**
 * What the request decoders hand to the connection: a {@link ConnectRequest}, or after it a {@link ClientRequest},
 * a {@link MalformedRequest} or an {@link UnknownRequest}.
 */
public interface ClientFrame {
}
