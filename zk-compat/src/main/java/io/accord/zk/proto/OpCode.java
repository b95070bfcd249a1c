package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import java.util.function.Function;

/**
 * The request opcodes a ZooKeeper 3.9 server accepts from clients ({@code ZooDefs.OpCode}), each with the reader
 * of its request record, plus createSession (-10), which ZooKeeper accepts from a client too (see
 * {@link CreateSessionRequest}). {@link #of(int)} returns null for any other code (notification 0, the
 * never-defined 10, ...): ZooKeeper answers those UNIMPLEMENTED and closes the connection.
 */
public enum OpCode {
    CREATE(1, "CREA", true, CreateRequest::read),
    DELETE(2, "DELE", true, DeleteRequest::read),
    EXISTS(3, "EXIS", false, ExistsRequest::read),
    GET_DATA(4, "GETD", false, GetDataRequest::read),
    SET_DATA(5, "SETD", true, SetDataRequest::read),
    GET_ACL(6, "GETA", false, GetACLRequest::read),
    SET_ACL(7, "SETA", true, SetACLRequest::read),
    GET_CHILDREN(8, "GETC", false, GetChildrenRequest::read),
    SYNC(9, "SYNC", true, SyncRequest::read),
    PING(11, "PING", false, null),
    GET_CHILDREN2(12, "GETC", false, GetChildren2Request::read),
    CHECK(13, "CHEC", true, CheckVersionRequest::read),
    MULTI(14, "MULT", true, MultiRequest::read),
    CREATE2(15, "CREA", true, CreateRequest::read),
    RECONFIG(16, "RECO", false, ReconfigRequest::read),
    CHECK_WATCHES(17, "CHKW", false, CheckWatchesRequest::read),
    REMOVE_WATCHES(18, "REMW", false, RemoveWatchesRequest::read),
    CREATE_CONTAINER(19, "CREA", true, CreateRequest::read),
    DELETE_CONTAINER(20, "DELE", true, DeleteContainerRequest::read),
    CREATE_TTL(21, "CREA", true, CreateTTLRequest::read),
    MULTI_READ(22, "MLTR", false, MultiRequest::read),
    AUTH(100, "AUTH", false, AuthPacket::read),
    SET_WATCHES(101, "SETW", false, SetWatches::read),
    SASL(102, "SASL", false, GetSASLRequest::read),
    GET_EPHEMERALS(103, "GETE", false, GetEphemeralsRequest::read),
    GET_ALL_CHILDREN_NUMBER(104, "GETACN", false, GetAllChildrenNumberRequest::read),
    SET_WATCHES2(105, "STW2", false, SetWatches2::read),
    ADD_WATCH(106, "ADDW", false, AddWatchRequest::read),
    WHO_AM_I(107, "HOMI", false, null),
    CREATE_SESSION(-10, "SESS", true, CreateSessionRequest::read),
    CLOSE_SESSION(-11, "CLOS", true, null);

    private static final int TABLE_OFFSET = 11;
    private static final OpCode[] TABLE = new OpCode[TABLE_OFFSET + 108];

    static {
        for (OpCode op : values()) {
            TABLE[op.code + TABLE_OFFSET] = op;
        }
    }

    private final int code;
    private final String shortName;
    private final boolean write;
    private final Function<JuteInput, ? extends JuteRecord> reader;

    OpCode(int code, String shortName, boolean write, Function<JuteInput, ? extends JuteRecord> reader) {
        this.code = code;
        this.shortName = shortName;
        this.write = write;
        this.reader = reader;
    }

    /** The opcode for a wire value, or null when ZooKeeper 3.9 does not accept it from a client. */
    public static OpCode of(int code) {
        int index = code + TABLE_OFFSET;
        return index >= 0 && index < TABLE.length ? TABLE[index] : null;
    }

    public int code() {
        return code;
    }

    /** The short name ZooKeeper's {@code cons} prints as {@code lop}. */
    public String shortName() {
        return shortName;
    }

    /** Whether the op goes through the log (a transaction or an ordering marker). */
    public boolean isWrite() {
        return write;
    }

    public boolean hasBody() {
        return reader != null;
    }

    /** Reads this op's request record; null for ops that have none. */
    public JuteRecord readBody(JuteInput in) {
        return reader == null ? null : reader.apply(in);
    }

    /** Ops allowed inside multi (14). */
    public boolean allowedInMulti() {
        return switch (this) {
            case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL, DELETE, SET_DATA, CHECK -> true;
            default -> false;
        };
    }

    /** Ops allowed inside multiRead (22). */
    public boolean allowedInMultiRead() {
        return this == GET_DATA || this == GET_CHILDREN;
    }
}
