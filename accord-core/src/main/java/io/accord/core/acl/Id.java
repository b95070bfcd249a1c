package io.accord.core.acl;

import java.util.Objects;

/**
 * An identity in ZooKeeper's ACL model: a scheme ({@code world}, {@code auth}, {@code digest}, {@code ip},
 * {@code super}, {@code x509}, {@code sasl}) and an id whose format depends on the scheme.
 *
 * <p>The authenticated ids of a connection travel inside every log entry that the connection submits, so that
 * every replica checks permissions against the same ids.
 */
public record Id(String scheme, String id) {
    public static final Id ANYONE = new Id("world", "anyone");
    /** The id that bypasses every ACL check (ZooKeeper's {@code super} scheme). */
    public static final Id SUPER = new Id("super", "");

    public Id {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(id, "id");
    }
}
