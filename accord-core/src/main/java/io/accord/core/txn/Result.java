package io.accord.core.txn;

import io.accord.core.acl.Acl;
import io.accord.core.tree.Stat;
import java.util.List;

/**
 * The outcome of an op or a query, as ZooKeeper would answer it. {@link #code()} is the reply header's error
 * code; a result with a non-zero code carries no body (except inside a multi).
 */
public sealed interface Result {

    int code();

    /** An error with no body. Inside a failed {@link Multi}, also the OK (code 0) slots of the ops before the failure. */
    record Error(int code) implements Result {
    }

    /** Success with no body: delete, check, closeSession, sync, touch, reattach, deleteContainer. */
    record Done() implements Result {
        public static final Done INSTANCE = new Done();

        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** create*: the actual path (with any sequence suffix) and the new node's stat. */
    record Created(String path, Stat stat) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** setData, setACL, exists: the node's stat after the op. */
    record StatOnly(Stat stat) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** getData. {@code data} may be null (distinct from empty). */
    record Data(byte[] data, Stat stat) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** getChildren / getChildren2: the child names (sorted) and the parent's stat. */
    record Children(List<String> children, Stat stat) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** getACL: the ACL (digest ids redacted when the caller lacks ADMIN) and the stat. */
    record AclList(List<Acl> acl, Stat stat) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** getEphemerals: paths. */
    record Paths(List<String> paths) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** getAllChildrenNumber. */
    record Count(int count) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /**
     * multi / multiRead: one result per op in op order. When a multi fails, {@code failed} is true and every
     * slot is an {@link Error}: code 0 for the ops before the failing one, the real code for it, and
     * RUNTIMEINCONSISTENCY (-2) for the ops after it. The reply header's code stays 0 either way.
     */
    record Multi(List<Result> results, boolean failed) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }

    /** createSession. */
    record SessionCreated(long sessionId, int timeoutMs, byte[] password) implements Result {
        @Override
        public int code() {
            return ErrorCode.OK;
        }
    }
}
