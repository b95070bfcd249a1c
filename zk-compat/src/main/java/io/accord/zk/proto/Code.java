package io.accord.zk.proto;

/**
 * ZooKeeper's error codes ({@code KeeperException.Code}, checked against the 3.9 jar) as sent in
 * {@code ReplyHeader.err}. A client that does not know a code fails with a NullPointerException (ZOOKEEPER-4377),
 * so the server never sends a code newer than the feature the client used.
 */
public enum Code {
    OK(0),
    SYSTEMERROR(-1),
    RUNTIMEINCONSISTENCY(-2),
    DATAINCONSISTENCY(-3),
    CONNECTIONLOSS(-4),
    MARSHALLINGERROR(-5),
    UNIMPLEMENTED(-6),
    OPERATIONTIMEOUT(-7),
    BADARGUMENTS(-8),
    UNKNOWNSESSION(-12),
    NEWCONFIGNOQUORUM(-13),
    RECONFIGINPROGRESS(-14),
    APIERROR(-100),
    NONODE(-101),
    NOAUTH(-102),
    BADVERSION(-103),
    NOCHILDRENFOREPHEMERALS(-108),
    NODEEXISTS(-110),
    NOTEMPTY(-111),
    SESSIONEXPIRED(-112),
    INVALIDCALLBACK(-113),
    INVALIDACL(-114),
    AUTHFAILED(-115),
    SESSIONMOVED(-118),
    NOTREADONLY(-119),
    EPHEMERALONLOCALSESSION(-120),
    NOWATCHER(-121),
    REQUESTTIMEOUT(-122),
    RECONFIGDISABLED(-123),
    SESSIONCLOSEDREQUIRESASLAUTH(-124),
    QUOTAEXCEEDED(-125),
    THROTTLEDOP(-127);

    private static final Code[] TABLE = new Code[128];

    static {
        for (Code code : values()) {
            TABLE[-code.value] = code;
        }
    }

    private final int value;

    Code(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The code for a wire value, or null if ZooKeeper 3.9 has none. */
    public static Code of(int value) {
        return value <= 0 && value > -TABLE.length ? TABLE[-value] : null;
    }
}
