package io.accord.core.image;

/**
 * Receives a consistent image of the replicated state: first {@link #meta}, then every ACL, then every node in
 * an order where a parent comes before its children, then every session. Used to write snapshots.
 */
public interface ImageSink {
    void meta(MetaImage meta);

    void acl(AclImage acl);

    void node(NodeImage node);

    void session(SessionImage session);
}
