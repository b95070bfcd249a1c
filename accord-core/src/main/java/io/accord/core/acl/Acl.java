package io.accord.core.acl;

import java.util.List;
import java.util.Objects;

/** One ACL entry: a permission bit set granted to an {@link Id}. Bits are {@link Perms}. */
public record Acl(int perms, Id id) {
    /** {@code world:anyone:cdrwa}: ZooKeeper's {@code OPEN_ACL_UNSAFE}. */
    public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(Perms.ALL, Id.ANYONE));
    /** {@code world:anyone:r}: ZooKeeper's {@code READ_ACL_UNSAFE}, the ACL of {@code /zookeeper/config}. */
    public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(Perms.READ, Id.ANYONE));

    public Acl {
        Objects.requireNonNull(id, "id");
    }
}
