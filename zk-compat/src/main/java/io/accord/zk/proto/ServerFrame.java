package io.accord.zk.proto;

/**
 * A whole frame the server sends (the encoder adds the 4-byte length): a {@link ConnectResponse} or a
 * {@link Reply}.
 */
public interface ServerFrame extends JuteRecord {
}
