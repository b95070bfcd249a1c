package io.accord.core.image;

import io.accord.core.acl.Acl;
import java.util.List;

/** One interned ACL list and the id that nodes refer to it by. */
public record AclImage(int aclId, List<Acl> acl) {
}
