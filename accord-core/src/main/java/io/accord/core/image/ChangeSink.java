package io.accord.core.image;

/**
 * Receives what changed since the previous drain (coalesced: a node changed many times appears once, in its
 * latest form), for the incremental checkpoint store. {@link #meta} comes last and carries the position the
 * whole change set reflects.
 */
public interface ChangeSink {
    void aclPut(AclImage acl);

    void aclRemoved(int aclId);

    void nodePut(NodeImage node);

    void nodeRemoved(String path);

    void sessionPut(SessionImage session);

    void sessionRemoved(long sessionId);

    void meta(MetaImage meta);
}
