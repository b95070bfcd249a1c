package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.acl.AclRules;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.tree.ChildList;
import io.accord.core.tree.DataTree;
import io.accord.core.tree.Node;
import io.accord.core.tree.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * The read queries (PROTOCOL.md 3.3, 7.2) as pure functions of the state: paths are not validated, just looked
 * up (missing → NONODE); READ is required (getACL: READ or ADMIN). Nothing here changes state.
 *
 * <p>Threading: call under the replica's read lock.
 */
public final class Reads {
    private final ReplicaState st;

    public Reads(ReplicaState st) {
        this.st = st;
    }

    private boolean permits(Node n, List<Id> ids, int perm) {
        return AclRules.permits(st.acls.get(n.aclId()), ids, perm, st.config.skipAcl());
    }

    /** Finds the node for a READ-guarded query, or returns the error result through {@code err[0]}. */
    private Node readable(String path, List<Id> ids, Result[] err) {
        Node n = st.tree.find(path);
        if (n == null) {
            err[0] = Results.error(ErrorCode.NO_NODE);
            return null;
        }
        if (!permits(n, ids, Perms.READ)) {
            err[0] = Results.error(ErrorCode.NO_AUTH);
            return null;
        }
        return n;
    }

    public Result exists(String path, List<Id> ids) {
        if (path != null && path.indexOf('\0') >= 0) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        Result[] err = new Result[1];
        Node n = readable(path, ids, err);
        return n == null ? err[0] : new Result.StatOnly(n.stat());
    }

    public Result getData(String path, List<Id> ids) {
        Result[] err = new Result[1];
        Node n = readable(path, ids, err);
        return n == null ? err[0] : new Result.Data(n.data(), n.stat());
    }

    public Result getChildren(String path, List<Id> ids) {
        Result[] err = new Result[1];
        Node n = readable(path, ids, err);
        if (n == null) {
            return err[0];
        }
        ChildList kids = n.children();
        List<String> names = new ArrayList<>(kids == null ? 0 : kids.size());
        if (kids != null) {
            for (int i = 0; i < kids.size(); i++) {
                names.add(kids.get(i).name());
            }
        }
        return new Result.Children(names, n.stat());
    }

    public Result getAcl(String path, List<Id> ids) {
        Node n = st.tree.find(path);
        if (n == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        List<Acl> acl = st.acls.get(n.aclId());
        if (!permits(n, ids, Perms.READ | Perms.ADMIN)) {
            return Results.error(ErrorCode.NO_AUTH);
        }
        if (!permits(n, ids, Perms.ADMIN)) {
            acl = AclRules.redactDigests(acl);
        }
        return new Result.AclList(acl, n.stat());
    }

    public Result getEphemerals(long sessionId, String prefix) {
        boolean all = prefix == null || prefix.isEmpty() || prefix.equals("/");
        List<String> out = new ArrayList<>();
        for (String path : st.sessions.ephemeralsOf(sessionId)) {
            if (all || path.startsWith(prefix)) {
                out.add(path);
            }
        }
        return new Result.Paths(out);
    }

    public Result getAllChildrenNumber(String path, List<Id> ids) {
        Result[] err = new Result[1];
        Node n = readable(path, ids, err);
        if (n == null) {
            return err[0];
        }
        int count = n == st.tree.root() ? st.tree.nodeCount() - 1 : DataTree.descendants(n);
        return new Result.Count(count);
    }

    public Stat statOf(String path) {
        Node n = st.tree.find(path);
        return n == null ? null : n.stat();
    }
}
