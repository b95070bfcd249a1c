package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.tree.NodeView;
import java.util.List;

/**
 * What {@link WriteOps} validates against and mutates: the live tree ({@link TreeTarget}) or a multi's pending
 * overlay ({@link Overlay}). The same checks run against both, so a multi is fully validated before the tree is
 * touched. Mutators are called only after every check of the op passed.
 */
interface Target {

    /** The node at {@code path} as this target sees it, or null. "" and "/" are the root. */
    NodeView find(String path);

    List<Acl> aclOf(NodeView node);

    Result create(NodeView parent, String parentPath, String path, byte[] data, List<Acl> acl, long owner);

    Result delete(NodeView parent, String parentPath, NodeView node, String path);

    Result setData(NodeView node, String path, byte[] data, int newVersion);

    Result setAcl(NodeView node, String path, List<Acl> acl, int newAversion);
}
