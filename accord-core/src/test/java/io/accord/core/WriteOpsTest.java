package io.accord.core;

import static io.accord.core.Zk.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.tree.Stat;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.EventType;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteOpsTest {
    private static final Id ALICE = new Id("digest", "alice:GMJqCvSAmNfv41XqBotWHO0HsNc=");

    @Test
    void deleteChecksParentDeleteThenVersionBeforeNotEmpty() {
        // PROTOCOL.md 3.3 "delete": DELETE on the parent, the node's own ACL does not matter, BADVERSION first.
        Zk zk = new Zk().withSession();
        zk.create("/p");
        zk.create("/p/c");
        assertEquals(ErrorCode.BAD_VERSION, zk.code(new Op.Delete("/p", 5)));
        assertEquals(ErrorCode.NOT_EMPTY, zk.code(new Op.Delete("/p", 0)));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.Delete("/p/missing", -1)));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.Delete("/missing/x", -1)));
        zk.op(new Op.Create(1, "/p/locked", null, List.of(new Acl(Perms.ALL, ALICE)), 0, -1));
        assertEquals(ErrorCode.OK, zk.code(new Op.Delete("/p/locked", -1)));
        zk.op(new Op.Create(1, "/nodel", null, List.of(new Acl(Perms.ALL & ~Perms.DELETE, Id.ANYONE)), 0, -1));
        zk.create("/nodel/c");
        assertEquals(ErrorCode.NO_AUTH, zk.code(new Op.Delete("/nodel/c", -1)));
    }

    @Test
    void systemPathsCannotBeDeleted() {
        // PROTOCOL.md 3.3 and 8.1: /, /zookeeper, /zookeeper/quota, /zookeeper/config → BADARGUMENTS.
        Zk zk = new Zk().withSession();
        for (String p : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
            assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(new Op.Delete(p, -1)), p);
            assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(new Op.DeleteContainer(p)), p);
        }
        assertEquals(ErrorCode.OK, zk.create("/zookeeper/foo").code());
        // A real ZooKeeper 3.9.5 does not validate delete paths beyond '/' and NUL (tests-zk-compat
        // OperationsTest checks it against the real server): a malformed path is simply not found.
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.Delete("/a/", -1)));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.Delete("//a", -1)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(new Op.Delete("a", -1)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(new Op.Delete("/a\u0000b", -1)));
    }

    @Test
    void deleteUpdatesParentCversionAndPzxidAndFiresEvents() {
        // PROTOCOL.md 4.3: delete → parent cversion+1 (visible), pzxid = zxid, numChildren-1; 6.3 events.
        Zk zk = new Zk().withSession();
        zk.create("/p");
        zk.create("/p/c");
        Stat before = zk.stat("/p");
        Applied a = zk.op(new Op.Delete("/p/c", 0));
        Stat after = zk.stat("/p");
        assertEquals(before.cversion() + 1, after.cversion());
        assertEquals(a.zxid(), after.pzxid());
        assertEquals(0, after.numChildren());
        assertEquals(before.mzxid(), after.mzxid());
        assertEquals(List.of(new ChangeEvent(EventType.NODE_DELETED, "/p/c", Zk.OPEN),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/p", Zk.OPEN)), a.events());
        assertEquals(Result.Done.INSTANCE, a.result());
    }

    @Test
    void setDataBumpsVersionEvenForIdenticalData() {
        // PROTOCOL.md 3.3 "setData" and 4.3: version+1, mzxid, mtime, dataLength; czxid, ctime, cversion, pzxid kept.
        Zk zk = new Zk().withSession();
        zk.create("/n", bytes("same"), 0);
        Stat before = zk.stat("/n");
        zk.time += 5;
        Applied a = zk.op(new Op.SetData("/n", bytes("same"), 0));
        Stat s = ((Result.StatOnly) a.result()).stat();
        assertEquals(new Stat(before.czxid(), a.zxid(), before.ctime(), zk.time, 1, 0, 0, 0, 4, 0, before.pzxid()), s);
        assertEquals(ErrorCode.BAD_VERSION, zk.code(new Op.SetData("/n", bytes("x"), 0)));
        assertEquals(ErrorCode.OK, zk.code(new Op.SetData("/n", null, -1)));
        assertNull(((Result.Data) zk.sm.getData("/n", Zk.IP)).data());
        assertEquals(List.of(new ChangeEvent(EventType.NODE_DATA_CHANGED, "/n", Zk.OPEN)), a.events());
        assertEquals(ErrorCode.NO_AUTH, zk.code(new Op.SetData("/zookeeper/config", bytes("x"), -1)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(new Op.SetData("/n/", bytes("x"), -1)));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.SetData("/nope", bytes("x"), -1)));
    }

    @Test
    void childSetDataLeavesParentAlone() {
        // PROTOCOL.md 4.3 "child setData: nothing" (ClickHouse #115457).
        Zk zk = new Zk().withSession();
        zk.create("/p");
        zk.create("/p/c");
        Stat before = zk.stat("/p");
        zk.op(new Op.SetData("/p/c", bytes("y"), -1));
        assertEquals(before, zk.stat("/p"));
    }

    @Test
    void setAclChangesOnlyAversionAndExpandsAuth() {
        // PROTOCOL.md 3.3 "setACL", 4.3 (aversion+1 only), 7.3 (auth expands to non-ip ids, dedupe).
        Zk zk = new Zk().withSession();
        zk.create("/n");
        Stat before = zk.stat("/n");
        zk.ids = List.of(new Id("ip", "10.0.0.1"), ALICE);
        Applied a = zk.op(new Op.SetAcl("/n", List.of(new Acl(Perms.ALL, new Id("auth", "")),
                new Acl(Perms.ALL, new Id("auth", ""))), 0));
        Stat s = ((Result.StatOnly) a.result()).stat();
        assertEquals(new Stat(before.czxid(), before.mzxid(), before.ctime(), before.mtime(), 0, 0, 1, 0,
                before.dataLength(), 0, before.pzxid()), s);
        assertEquals(List.of(), a.events());
        assertEquals(List.of(new Acl(Perms.ALL, ALICE)), ((Result.AclList) zk.sm.getAcl("/n", zk.ids)).acl());
        assertEquals(ErrorCode.BAD_VERSION, zk.code(new Op.SetAcl("/n", Zk.OPEN, 0)));
        zk.ids = Zk.IP;
        assertEquals(ErrorCode.NO_AUTH, zk.code(new Op.SetAcl("/n", Zk.OPEN, 1)));
        assertEquals(ErrorCode.INVALID_ACL, zk.code(new Op.SetAcl("/n", List.of(), -1)));
        assertEquals(ErrorCode.INVALID_ACL, zk.code(new Op.SetAcl("/n", null, -1)));
        assertEquals(ErrorCode.INVALID_ACL,
                zk.code(new Op.SetAcl("/n", List.of(new Acl(Perms.ALL, new Id("auth", ""))), -1)));
        assertEquals(ErrorCode.INVALID_ACL, zk.code(new Op.SetAcl("/missing", List.of(), -1)));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.SetAcl("/missing", Zk.OPEN, -1)));
    }

    @Test
    void deleteContainerRulesMatchZooKeeper() {
        // PROTOCOL.md 4.6: no ACL check; NOTEMPTY with children; BADVERSION for an ordinary ephemeral.
        Zk zk = new Zk().withSession();
        zk.op(new Op.Create(Op.OPCODE_CREATE_CONTAINER, "/c", null, Zk.OPEN, 4, -1));
        zk.create("/c/x");
        zk.create("/e", null, 1);
        assertEquals(ErrorCode.NOT_EMPTY, zk.code(new Op.DeleteContainer("/c")));
        assertEquals(ErrorCode.BAD_VERSION, zk.code(new Op.DeleteContainer("/e")));
        assertEquals(ErrorCode.NO_NODE, zk.code(new Op.DeleteContainer("/nope")));
        zk.op(new Op.Create(1, "/locked", null, List.of(new Acl(0, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.OK, zk.code(new Op.DeleteContainer("/locked")));
        assertEquals(ErrorCode.OK, zk.code(new Op.DeleteContainer("/c/x")));
        assertEquals(ErrorCode.OK, zk.code(new Op.DeleteContainer("/c")));
    }

    @Test
    void standaloneCheckIsUnimplementedAndSyncIsNotATransaction() {
        // PROTOCOL.md 3.1: standalone check (13) → UNIMPLEMENTED since 3.9.3; sync creates no transaction.
        Zk zk = new Zk().withSession();
        long z = zk.sm.lastZxid();
        Applied check = zk.op(new Op.Check("/", -1));
        assertEquals(ErrorCode.UNIMPLEMENTED, check.result().code());
        Applied sync = zk.op(new Op.Sync("/nonexistent"));
        assertEquals(Result.Done.INSTANCE, sync.result());
        assertEquals(z, sync.zxid());
        assertEquals(z, zk.sm.lastZxid());
    }

    @Test
    void readsAreQueriesWithReadPermission() {
        // PROTOCOL.md 3.3: exists needs READ when the node exists (3.9), missing → NONODE, \0 → BADARGUMENTS.
        Zk zk = new Zk().withSession();
        zk.op(new Op.Create(1, "/secret", bytes("s"), List.of(new Acl(Perms.WRITE, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.NO_AUTH, zk.sm.exists("/secret", Zk.IP).code());
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getData("/secret", Zk.IP).code());
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getChildren("/secret", Zk.IP).code());
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getAllChildrenNumber("/secret", Zk.IP).code());
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getAcl("/secret", Zk.IP).code());
        assertEquals(ErrorCode.OK, zk.sm.exists("/secret", List.of(Id.SUPER)).code());
        assertEquals(ErrorCode.NO_NODE, zk.sm.exists("/none", Zk.IP).code());
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.sm.exists("/a\u0000", Zk.IP).code());
        assertEquals(ErrorCode.NO_NODE, zk.sm.getData("bad//path/", Zk.IP).code());
        assertNull(zk.sm.statOf("/none"));
        long digest = zk.sm.digest();
        zk.sm.exists("/none", Zk.IP);
        assertEquals(digest, zk.sm.digest(), "reads change nothing");
        assertArrayEquals(bytes("s"), ((Result.Data) zk.sm.getData("/secret", List.of(Id.SUPER))).data());
        Zk skip = new Zk(CoreConfig.defaults().withSkipAcl(true)).withSession();
        skip.op(new Op.Create(1, "/secret", bytes("s"), List.of(new Acl(0, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.OK, skip.sm.getData("/secret", Zk.IP).code());
        assertEquals(ErrorCode.OK, skip.code(new Op.SetData("/secret", null, -1)));
    }

    @Test
    void getAllChildrenNumberCountsAllDescendantsAndGetEphemeralsFiltersByPrefix() {
        // PROTOCOL.md 3.3: getAllChildrenNumber = whole subtree minus the node; getEphemerals plain string prefix.
        Zk zk = new Zk().withSession();
        zk.create("/a");
        zk.create("/a/b");
        zk.create("/a/b/c");
        zk.create("/a/d");
        assertEquals(3, ((Result.Count) zk.sm.getAllChildrenNumber("/a", Zk.IP)).count());
        assertEquals(7, ((Result.Count) zk.sm.getAllChildrenNumber("/", Zk.IP)).count());
        zk.create("/eph", null, 1);
        zk.create("/e", null, 1);
        zk.create("/a/x", null, 1);
        assertEquals(List.of("/e", "/eph"), ((Result.Paths) zk.sm.getEphemerals(zk.session, "/e")).paths());
        assertEquals(List.of("/a/x", "/e", "/eph"), ((Result.Paths) zk.sm.getEphemerals(zk.session, "/")).paths());
        assertEquals(List.of("/a/x", "/e", "/eph"), ((Result.Paths) zk.sm.getEphemerals(zk.session, null)).paths());
        assertEquals(List.of(), ((Result.Paths) zk.sm.getEphemerals(zk.session + 1, "")).paths());
        assertEquals(3, zk.sm.ephemeralCount());
    }
}
