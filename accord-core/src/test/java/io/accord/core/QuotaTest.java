package io.accord.core;

import static io.accord.core.Zk.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quota usage under {@code /zookeeper/quota}, as a real ZooKeeper 3.9.5 keeps it (its DataTree; checked end to end
 * by tests-zk-compat's ZkCliTest, whose {@code setquota}/{@code listquota} output must match ZooKeeper's).
 */
class QuotaTest {
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    private final Zk zk = new Zk().withSession();

    /** What zkCli's setquota does: the quota directory, the limits node, and a zero stats node. */
    private void setQuota(String path, String limits) {
        String dir = "/zookeeper/quota";
        for (String part : path.substring(1).split("/")) {
            dir += "/" + part;
            if (zk.stat(dir) == null) {
                assertEquals(ErrorCode.OK, zk.create(dir).code());
            }
        }
        assertEquals(ErrorCode.OK, zk.create(dir + "/zookeeper_limits", bytes(limits), 0).code());
        assertEquals(ErrorCode.OK, zk.create(dir + "/zookeeper_stats", bytes("count=0,bytes=0"), 0).code());
    }

    private String stats(String path) {
        Result r = zk.sm.getData("/zookeeper/quota" + path + "/zookeeper_stats", IDS);
        return new String(((Result.Data) r).data(), StandardCharsets.UTF_8);
    }

    @Test
    void statsCountTheSubtreeWhenCreatedAndFollowEveryChange() {
        zk.create("/qt", bytes("ab"), 0);
        zk.create("/qt/old", null, 0);
        setQuota("/qt", "count=3,bytes=-1");
        assertEquals("count=2,bytes=2", stats("/qt"), "the subtree as it was: /qt and /qt/old");

        Stat before = zk.stat("/zookeeper/quota/qt/zookeeper_stats");
        zk.create("/qt/c1", bytes("data"), 0);
        assertEquals("count=3,bytes=6", stats("/qt"));
        zk.op(new Op.SetData("/qt/c1", bytes("dd"), -1));
        assertEquals("count=3,bytes=4", stats("/qt"));
        zk.op(new Op.Delete("/qt/c1", -1));
        zk.op(new Op.Delete("/qt/old", -1));
        assertEquals("count=1,bytes=2", stats("/qt"));

        Stat after = zk.stat("/zookeeper/quota/qt/zookeeper_stats");
        assertEquals(before.version(), after.version(), "updated in place: no version bump");
        assertEquals(before.mzxid(), after.mzxid(), "updated in place: no mzxid change");
        assertEquals("count=1,bytes=2".length(), after.dataLength());
    }

    @Test
    void onlyTheDeepestQuotaCountsAndNeighboursDoNot() {
        zk.create("/a", null, 0);
        zk.create("/a/b", null, 0);
        zk.create("/ab", null, 0);
        setQuota("/a", "count=10");
        setQuota("/a/b", "count=10");
        assertEquals("count=2,bytes=0", stats("/a"));
        assertEquals("count=1,bytes=0", stats("/a/b"));
        zk.create("/a/b/c", bytes("xyz"), 0);
        assertEquals("count=2,bytes=0", stats("/a"), "a deeper quota takes the change");
        assertEquals("count=2,bytes=3", stats("/a/b"));
        zk.create("/ab/x", bytes("x"), 0);
        zk.create("/a/y", bytes("yy"), 0);
        assertEquals("count=3,bytes=2", stats("/a"), "/ab is not under /a");
    }

    @Test
    void removingTheLimitsNodeEndsTheAccounting() {
        zk.create("/q", null, 0);
        setQuota("/q", "count=3");
        zk.op(new Op.Delete("/zookeeper/quota/q/zookeeper_limits", -1));
        zk.create("/q/child", bytes("1234"), 0);
        assertEquals("count=1,bytes=0", stats("/q"));
    }

    @Test
    void otherKeysAreKeptSortedAfterCountAndBytes() {
        zk.create("/k", null, 0);
        setQuota("/k", "count=3");
        zk.op(new Op.SetData("/zookeeper/quota/k/zookeeper_stats",
                bytes("count=1,bytes=0=;zeta=1;countHardLimit=5"), -1));
        zk.create("/k/c", bytes("ab"), 0);
        assertEquals("count=2,bytes=2=;countHardLimit=5;zeta=1", stats("/k"));
    }

    @Test
    void unparsableStatsAreLeftAlone() {
        zk.create("/u", null, 0);
        setQuota("/u", "count=3");
        zk.op(new Op.SetData("/zookeeper/quota/u/zookeeper_stats", bytes("count=lots"), -1));
        zk.create("/u/c", bytes("ab"), 0);
        assertEquals("count=lots", stats("/u"));
    }

    @Test
    void replicasAgreeAfterQuotaChanges() {
        Zk other = new Zk().withSession();
        for (Zk z : List.of(zk, other)) {
            z.create("/r", null, 0);
            z.create("/zookeeper/quota/r");
            z.create("/zookeeper/quota/r/zookeeper_limits", bytes("count=5"), 0);
            z.create("/zookeeper/quota/r/zookeeper_stats", bytes("count=0,bytes=0"), 0);
            z.create("/r/a", bytes("abc"), 0);
        }
        assertEquals(zk.sm.digest(), other.sm.digest());
    }
}
