package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.acl.AclRules;
import io.accord.core.acl.Perms;
import io.accord.core.session.Session;
import io.accord.core.tree.EphemeralType;
import io.accord.core.tree.NodeView;
import io.accord.core.tree.PathRules;
import java.util.List;
import java.util.Locale;

/**
 * ZooKeeper's write ops (create in all modes, delete, setData, setACL, check, deleteContainer) as checks in
 * ZooKeeper's exact order (PROTOCOL.md 3.3, 4.4–4.6, 7.2) against a {@link Target}, followed by one mutation
 * call when every check passed. The first failing check's error code is the result.
 *
 * <p>Threading: apply thread only. Stateless apart from the replica it reads.
 */
final class WriteOps {
    private final ReplicaState st;

    WriteOps(ReplicaState st) {
        this.st = st;
    }

    /** Runs one write op (not a multi) of {@code r} against {@code t}. */
    Result run(Request r, Op op, Target t) {
        if (op instanceof Op.Create c) {
            return create(r, c, t);
        } else if (op instanceof Op.Delete d) {
            return delete(r, d, t);
        } else if (op instanceof Op.SetData s) {
            return setData(r, s, t);
        } else if (op instanceof Op.SetAcl s) {
            return setAcl(r, s, t);
        } else if (op instanceof Op.Check c) {
            return check(r, c, t);
        } else if (op instanceof Op.DeleteContainer d) {
            return deleteContainer(d, t);
        }
        return Results.error(ErrorCode.MARSHALLING_ERROR);
    }

    /** Whether the op carries data above {@code maxDataBytes} (MARSHALLINGERROR for the whole request). */
    boolean tooLarge(Op op) {
        byte[] data = null;
        if (op instanceof Op.Create c) {
            data = c.data();
        } else if (op instanceof Op.SetData s) {
            data = s.data();
        }
        return data != null && data.length > st.config.maxDataBytes();
    }

    /**
     * The session check of ZooKeeper's {@code checkSession}: unknown or closed → SESSIONEXPIRED, owned by another
     * node → SESSIONMOVED. System requests (origin 0) skip it, except that an ephemeral needs a live owner.
     */
    int checkSession(Request r, boolean needsLiveSession) {
        if (r.origin() == 0 && !needsLiveSession) {
            return ErrorCode.OK;
        }
        Session s = st.sessions.get(r.sessionId());
        if (s == null) {
            return ErrorCode.SESSION_EXPIRED;
        }
        if (r.origin() != 0 && s.owner() != r.origin()) {
            return ErrorCode.SESSION_MOVED;
        }
        return ErrorCode.OK;
    }

    private boolean permits(Target t, NodeView node, Request r, int perm) {
        return AclRules.permits(t.aclOf(node), r.authIds(), perm, st.config.skipAcl());
    }

    private static boolean badParentSyntax(String path) {
        return path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0;
    }

    private static boolean versionMismatch(int expected, int actual) {
        return expected != -1 && expected != actual;
    }

    // PROTOCOL.md 3.3 "Order of checks in create", steps 1-9 (quota is not enforced).
    private Result create(Request r, Op.Create c, Target t) {
        int flags = c.flags();
        int opcode = c.opcode();
        if (flags < 0 || flags > 6 || !isCreateOpcode(opcode)) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        boolean ttlMode = flags == 5 || flags == 6;
        boolean sequential = flags == 2 || flags == 3 || flags == 6;
        boolean ephemeral = flags == 1 || flags == 3;
        long ttl = opcode == Op.OPCODE_CREATE_TTL ? c.ttl() : -1;
        if (ttlMode && !st.config.extendedTypesEnabled()) {
            return Results.error(ErrorCode.UNIMPLEMENTED);
        }
        if (ttlMode ? ttl <= 0 || ttl > EphemeralType.MAX_TTL : ttl >= 0) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        if (opcode == Op.OPCODE_CREATE_TTL && !ttlMode) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        boolean storesEphemeral = ephemeral && opcode != Op.OPCODE_CREATE_CONTAINER;
        int session = checkSession(r, storesEphemeral);
        if (session != ErrorCode.OK) {
            return Results.error(session);
        }
        String path = c.path();
        if (badParentSyntax(path)) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        String parentPath = PathRules.parentOf(path);
        List<Acl> acl = AclRules.fixup(c.acl(), r.authIds());
        if (acl == null) {
            return Results.error(ErrorCode.INVALID_ACL);
        }
        NodeView parent = t.find(parentPath);
        if (parent == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        if (!permits(t, parent, r, Perms.CREATE)) {
            return Results.error(ErrorCode.NO_AUTH);
        }
        if (sequential) {
            path = path + sequenceSuffix(parent.childCounter());
        }
        if (!PathRules.isValid(path)) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        if (t.find(path) != null) {
            return Results.error(ErrorCode.NODE_EXISTS);
        }
        if (EphemeralType.isEphemeral(parent.ephemeralOwner())) {
            return Results.error(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
        }
        long owner;
        if (opcode == Op.OPCODE_CREATE_CONTAINER) {
            owner = EphemeralType.CONTAINER;
        } else if (ttlMode) {
            owner = EphemeralType.ttlOwner(ttl);
        } else {
            owner = ephemeral ? r.sessionId() : 0;
        }
        return t.create(parent, parentPath, path, c.data(), acl, owner);
    }

    private static boolean isCreateOpcode(int opcode) {
        return opcode == Op.OPCODE_CREATE || opcode == Op.OPCODE_CREATE2 || opcode == Op.OPCODE_CREATE_CONTAINER
                || opcode == Op.OPCODE_CREATE_TTL;
    }

    /** {@code String.format(Locale.ENGLISH, "%010d", c)} with a fast path for the usual non-negative case. */
    static String sequenceSuffix(int c) {
        if (c < 0) {
            return String.format(Locale.ENGLISH, "%010d", c);
        }
        char[] out = {'0', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
        int i = 9;
        int v = c;
        while (v > 0) {
            out[i--] = (char) ('0' + v % 10);
            v /= 10;
        }
        return new String(out);
    }

    // PROTOCOL.md 3.3 "delete": BADVERSION is checked before NOTEMPTY; DELETE is checked on the parent.
    private Result delete(Request r, Op.Delete d, Target t) {
        int session = checkSession(r, false);
        if (session != ErrorCode.OK) {
            return Results.error(session);
        }
        String path = d.path();
        // ZooKeeper 3.9.5 does not run full path validation on delete (PROTOCOL.md 4.8 says it does; the real
        // server wins): a malformed path such as "/p/" or "//a" is simply not found.
        if (badParentSyntax(path) || PathRules.isSpecial(path)) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        String parentPath = PathRules.parentOf(path);
        NodeView parent = t.find(parentPath);
        if (parent == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        if (!permits(t, parent, r, Perms.DELETE)) {
            return Results.error(ErrorCode.NO_AUTH);
        }
        NodeView node = t.find(path);
        if (node == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        if (versionMismatch(d.version(), node.version())) {
            return Results.error(ErrorCode.BAD_VERSION);
        }
        if (node.numChildren() > 0) {
            return Results.error(ErrorCode.NOT_EMPTY);
        }
        return t.delete(parent, parentPath, node, path);
    }

    /** The first checks of setData, setACL and check, in ZooKeeper's order: session, then path syntax. */
    private int sessionAndPath(Request r, String path) {
        int session = checkSession(r, false);
        if (session != ErrorCode.OK) {
            return session;
        }
        return PathRules.isValid(path) ? ErrorCode.OK : ErrorCode.BAD_ARGUMENTS;
    }

    /** Their last checks: the node exists, the caller holds {@code perm} on it, the expected version matches. */
    private int nodeChecks(Request r, Target t, NodeView node, int perm, int expected, boolean aclVersion) {
        if (node == null) {
            return ErrorCode.NO_NODE;
        }
        if (!permits(t, node, r, perm)) {
            return ErrorCode.NO_AUTH;
        }
        return versionMismatch(expected, aclVersion ? node.aversion() : node.version())
                ? ErrorCode.BAD_VERSION : ErrorCode.OK;
    }

    private Result setData(Request r, Op.SetData s, Target t) {
        String path = s.path();
        int code = sessionAndPath(r, path);
        NodeView node = code == ErrorCode.OK ? t.find(path) : null;
        if (code == ErrorCode.OK) {
            code = nodeChecks(r, t, node, Perms.WRITE, s.version(), false);
        }
        return code != ErrorCode.OK ? Results.error(code) : t.setData(node, path, s.data(), node.version() + 1);
    }

    private Result setAcl(Request r, Op.SetAcl s, Target t) {
        String path = s.path();
        int code = sessionAndPath(r, path);
        if (code != ErrorCode.OK) {
            return Results.error(code);
        }
        List<Acl> acl = AclRules.fixup(s.acl(), r.authIds());
        if (acl == null) {
            return Results.error(ErrorCode.INVALID_ACL);
        }
        NodeView node = t.find(path);
        code = nodeChecks(r, t, node, Perms.ADMIN, s.version(), true);
        return code != ErrorCode.OK ? Results.error(code) : t.setAcl(node, path, acl, node.aversion() + 1);
    }

    private Result check(Request r, Op.Check c, Target t) {
        String path = c.path();
        int code = sessionAndPath(r, path);
        if (code == ErrorCode.OK) {
            code = nodeChecks(r, t, t.find(path), Perms.READ, c.version(), false);
        }
        return code != ErrorCode.OK ? Results.error(code) : Result.Done.INSTANCE;
    }

    // PROTOCOL.md 4.6: no ACL or session check; NOTEMPTY with children, BADVERSION for an ordinary ephemeral.
    private Result deleteContainer(Op.DeleteContainer d, Target t) {
        String path = d.path();
        if (badParentSyntax(path) || PathRules.isSpecial(path)) {
            return Results.error(ErrorCode.BAD_ARGUMENTS);
        }
        NodeView node = t.find(path);
        if (node == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        if (node.numChildren() > 0) {
            return Results.error(ErrorCode.NOT_EMPTY);
        }
        if (EphemeralType.isEphemeral(node.ephemeralOwner())) {
            return Results.error(ErrorCode.BAD_VERSION);
        }
        String parentPath = PathRules.parentOf(path);
        NodeView parent = t.find(parentPath);
        if (parent == null) {
            return Results.error(ErrorCode.NO_NODE);
        }
        return t.delete(parent, parentPath, node, path);
    }
}
