package io.accord.core.txn;

/**
 * ZooKeeper's error codes ({@code KeeperException.Code}) that the state machine can produce. They are results,
 * not exceptions: an exception inside apply is a bug.
 */
public final class ErrorCode {
    public static final int OK = 0;
    public static final int SYSTEM_ERROR = -1;
    /** Used for the multi ops after the one that failed. */
    public static final int RUNTIME_INCONSISTENCY = -2;
    public static final int MARSHALLING_ERROR = -5;
    public static final int UNIMPLEMENTED = -6;
    public static final int BAD_ARGUMENTS = -8;
    public static final int UNKNOWN_SESSION = -12;
    public static final int API_ERROR = -100;
    public static final int NO_NODE = -101;
    public static final int NO_AUTH = -102;
    public static final int BAD_VERSION = -103;
    public static final int NO_CHILDREN_FOR_EPHEMERALS = -108;
    public static final int NODE_EXISTS = -110;
    public static final int NOT_EMPTY = -111;
    public static final int SESSION_EXPIRED = -112;
    public static final int INVALID_ACL = -114;
    public static final int AUTH_FAILED = -115;
    public static final int SESSION_MOVED = -118;
    public static final int NOT_READONLY = -119;
    public static final int NO_WATCHER = -121;
    public static final int RECONFIG_DISABLED = -123;
    public static final int QUOTA_EXCEEDED = -125;

    private ErrorCode() {
    }
}
