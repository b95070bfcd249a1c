package io.accord.core;

import static io.accord.core.Zk.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.tree.Stat;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ChangeEvent;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.EventType;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreateTest {

    private static Op.Create create(String path, int flags) {
        return new Op.Create(Op.OPCODE_CREATE2, path, bytes("d"), Zk.OPEN, flags, -1);
    }

    private static Op.Create ttl(String path, int flags, long ttl) {
        return new Op.Create(Op.OPCODE_CREATE_TTL, path, bytes("d"), Zk.OPEN, flags, ttl);
    }

    @Test
    void initialTreeMatchesZooKeeper() {
        // PROTOCOL.md 4.3 and 7.5: /zookeeper cversion -2, / cversion -1, /zookeeper/config aversion -1, world:r.
        Zk zk = new Zk();
        Stat root = zk.stat("/");
        assertEquals(new Stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0), root);
        assertEquals(new Stat(0, 0, 0, 0, 0, -2, 0, 0, 0, 2, 0), zk.stat("/zookeeper"));
        assertEquals(new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), zk.stat("/zookeeper/quota"));
        assertEquals(new Stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0), zk.stat("/zookeeper/config"));
        Result.AclList acl = (Result.AclList) zk.sm.getAcl("/zookeeper/config", Zk.IP);
        assertEquals(Acl.READ_ACL_UNSAFE, acl.acl());
        assertEquals(Acl.OPEN_ACL_UNSAFE, ((Result.AclList) zk.sm.getAcl("/", Zk.IP)).acl());
        assertArrayEquals(new byte[0], ((Result.Data) zk.sm.getData("/zookeeper/config", Zk.IP)).data());
        assertEquals(3, ((Result.Count) zk.sm.getAllChildrenNumber("/", Zk.IP)).count());
        assertEquals(4, zk.sm.nodeCount());
        assertEquals(List.of("quota", "config").stream().sorted().toList(),
                ((Result.Children) zk.sm.getChildren("/zookeeper", Zk.IP)).children());
        assertEquals(0, zk.sm.lastZxid());
    }

    @Test
    void checkOrderFollowsPrepRequestProcessor() {
        // PROTOCOL.md 3.3 "Order of checks in create": the first failure wins.
        Zk zk = new Zk(CoreConfig.defaults().withExtendedTypesEnabled(false)).withSession();
        zk.create("/p");
        // 1. flags beat everything
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("nopath", 7)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/missing/x", -1)));
        // 2. TTL while disabled → UNIMPLEMENTED, before path checks
        assertEquals(ErrorCode.UNIMPLEMENTED, zk.code(ttl("nopath", 5, 1000)));
        Zk ttlOn = new Zk().withSession();
        assertEquals(ErrorCode.BAD_ARGUMENTS, ttlOn.code(ttl("/t", 5, 0)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, ttlOn.code(ttl("/t", 5, 1L << 40)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, ttlOn.code(ttl("/t", 0, 5)));
        assertEquals(ErrorCode.OK, ttlOn.code(ttl("/t", 5, (1L << 40) - 1)));
        // TTL mode on a non-TTL opcode has ttl -1 → BADARGUMENTS
        assertEquals(ErrorCode.BAD_ARGUMENTS, ttlOn.code(create("/t2", 5)));
        // 2b. session check after flags/TTL
        long live = zk.session;
        zk.session = 12345;
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/x", 9)));
        assertEquals(ErrorCode.SESSION_EXPIRED, zk.code(create("nopath", 0)));
        zk.session = live;
        // 3. no slash or NUL
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("nopath", 0)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/p/a\u0000b", 0)));
        // 4. ACL before parent existence
        assertEquals(ErrorCode.INVALID_ACL, zk.code(new Op.Create(1, "/missing/x", null, List.of(), 0, -1)));
        assertEquals(ErrorCode.INVALID_ACL, zk.code(new Op.Create(1, "/missing/x", null,
                List.of(new Acl(Perms.ALL, new Id("auth", ""))), 0, -1)));
        // 5. parent missing: "/p//q" is NONODE, not BADARGUMENTS
        assertEquals(ErrorCode.NO_NODE, zk.code(create("/p//q", 0)));
        // 6. CREATE on the parent before path validation
        zk.op(new Op.Create(1, "/locked", null, List.of(new Acl(Perms.READ, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.NO_AUTH, zk.code(create("/locked/.", 0)));
        // 7. path validation after the suffix
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/p/", 0)));
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/p/.", 0)));
        assertEquals("/p/0000000000", zk.createdPath(zk.create("/p/", null, 2)));
        // 8. exists; create / → NODEEXISTS
        assertEquals(ErrorCode.NODE_EXISTS, zk.code(create("/", 0)));
        assertEquals(ErrorCode.NODE_EXISTS, zk.code(create("/p", 0)));
        // 9. ephemeral parent
        zk.create("/e", null, 1);
        assertEquals(ErrorCode.BAD_ARGUMENTS, zk.code(create("/e/.", 0)));
        assertEquals(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, zk.code(create("/e/c", 0)));
    }

    @Test
    void everyCheckConsumesAZxidAndFailuresChangeNothing() {
        // PROTOCOL.md 4.1: failed writes consume a zxid; 4.3: a failed op changes nothing.
        Zk zk = new Zk().withSession();
        zk.create("/p");
        long digest = zk.sm.digest();
        long before = zk.sm.lastZxid();
        Applied a = zk.op(create("/p", 0));
        assertEquals(ErrorCode.NODE_EXISTS, a.result().code());
        assertEquals(before + 1, a.zxid());
        assertEquals(List.of(), a.events());
        assertEquals(before + 1, zk.sm.lastZxid());
        assertEquals(zk.stat("/p").pzxid(), zk.stat("/p").czxid());
        // only the counters differ
        Zk fresh = new Zk().withSession();
        fresh.create("/p");
        assertEquals(fresh.sm.lastZxid() + 1, zk.sm.lastZxid());
        assertEquals(false, digest == zk.sm.digest());
    }

    @Test
    void sequenceSuffixComesFromTheStoredCreateCounter() {
        // PROTOCOL.md 4.4: create /p/a, delete it, sequential /p/s- → /p/s-0000000001 (visible cversion 2).
        Zk zk = new Zk().withSession();
        zk.create("/p");
        zk.create("/p/a");
        zk.op(new Op.Delete("/p/a", -1));
        assertEquals(2, zk.stat("/p").cversion());
        assertEquals("/p/s-0000000001", zk.createdPath(zk.create("/p/s-", null, 2)));
        // sequential and plain siblings share the counter: two plain creates then c-0000000002 (ClickHouse #17700)
        zk.create("/q");
        zk.create("/q/a");
        zk.create("/q/b");
        assertEquals("/q/c-0000000002", zk.createdPath(zk.create("/q/c-", null, 3)));
    }

    @Test
    void sequenceCounterOverflowsLikeASignedInt() {
        // PROTOCOL.md 4.4: after 2147483647 the counter wraps to -2147483648.
        StateMachine base = new StateMachine(CoreConfig.defaults());
        StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
        base.writeImage(new ImageSink() {
            @Override
            public void meta(MetaImage meta) {
                loader.meta(meta);
            }

            @Override
            public void acl(AclImage acl) {
                loader.acl(acl);
            }

            @Override
            public void node(NodeImage n) {
                loader.node(n);
            }

            @Override
            public void session(SessionImage session) {
                loader.session(session);
            }
        });
        loader.node(new NodeImage("/q", null, 1, 1, 1, 0, 0, 0, Integer.MAX_VALUE, 0, 0, 0));
        Zk zk = new Zk(loader.finish()).withSession();
        assertEquals("/q/s2147483647", zk.createdPath(zk.create("/q/s", null, 2)));
        assertEquals("/q/s-2147483648", zk.createdPath(zk.create("/q/s", null, 2)));
        assertEquals("/q/s-2147483647", zk.createdPath(zk.create("/q/s", null, 2)));
        assertEquals(String.format(java.util.Locale.ENGLISH, "%010d", -5), "-000000005");
    }

    @Test
    void createChangesTheStatsOfNodeAndParentAsZooKeeper() {
        // PROTOCOL.md 4.3: node czxid=mzxid=pzxid=zxid, ctime=mtime=time; parent cversion+1, pzxid, numChildren+1,
        // parent mzxid/mtime/version unchanged.
        Zk zk = new Zk().withSession();
        zk.create("/p");
        Stat parentBefore = zk.stat("/p");
        zk.time += 1000;
        Applied a = zk.op(new Op.Create(Op.OPCODE_CREATE2, "/p/c", bytes("abc"), Zk.OPEN, 0, -1));
        long z = a.zxid();
        Stat s = ((Result.Created) a.result()).stat();
        assertEquals(new Stat(z, z, zk.time, zk.time, 0, 0, 0, 0, 3, 0, z), s);
        assertEquals(s, zk.stat("/p/c"));
        Stat p = zk.stat("/p");
        assertEquals(parentBefore.mzxid(), p.mzxid());
        assertEquals(parentBefore.mtime(), p.mtime());
        assertEquals(parentBefore.version(), p.version());
        assertEquals(parentBefore.cversion() + 1, p.cversion());
        assertEquals(1, p.numChildren());
        assertEquals(z, p.pzxid());
        // events: NodeCreated then NodeChildrenChanged on the parent (PROTOCOL.md 6.3, 5.2)
        assertEquals(List.of(new ChangeEvent(EventType.NODE_CREATED, "/p/c", Zk.OPEN),
                new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/p", Zk.OPEN)), a.events());
        Applied top = zk.op(create("/top", 0));
        assertEquals("/", top.events().get(1).path());
    }

    @Test
    void nodeKindsFollowTheOpcodeAndShowOwnerZeroForContainersAndTtl() {
        // PROTOCOL.md 4.5, 4.6: op 19 always container, op 1 + flag 4 plain persistent, owner shown as 0.
        Zk zk = new Zk().withSession();
        zk.op(new Op.Create(Op.OPCODE_CREATE_CONTAINER, "/c", null, Zk.OPEN, 4, -1));
        zk.op(new Op.Create(Op.OPCODE_CREATE_CONTAINER, "/c0", null, Zk.OPEN, 0, -1));
        zk.op(new Op.Create(Op.OPCODE_CREATE, "/plain", null, Zk.OPEN, 4, -1));
        zk.op(ttl("/t", 5, 1000));
        String seqTtl = zk.createdPath(zk.op(ttl("/ts-", 6, 1000)).result());
        zk.create("/e", null, 1);
        assertEquals(0, zk.stat("/c").ephemeralOwner());
        assertEquals(0, zk.stat("/t").ephemeralOwner());
        assertEquals(0, zk.stat(seqTtl).ephemeralOwner());
        assertEquals(zk.session, zk.stat("/e").ephemeralOwner());
        // TTL and container parents may have children, ephemeral ones included (PROTOCOL.md 3.3 step 9)
        assertEquals(0, zk.create("/c/e", null, 1).code());
        assertEquals(0, zk.create("/t/e", null, 1).code());
        // the kinds show in the sweep: /c (had a child) goes once empty, /plain and /c0 stay
        zk.create("/plain/x");
        zk.op(new Op.Delete("/plain/x", -1));
        zk.op(new Op.Delete("/c/e", -1));
        zk.time += 60_000;
        zk.tick();
        assertNull(zk.stat("/c"));
        assertEquals(0, zk.stat("/plain").numChildren());
        assertEquals(0, zk.stat("/c0").numChildren());
    }

    @Test
    void nullAndEmptyDataStayDistinctAndOversizedDataIsRejected() {
        Zk zk = new Zk(CoreConfig.defaults().withMaxDataBytes(10)).withSession();
        zk.create("/n", null, 0);
        zk.create("/e", new byte[0], 0);
        assertNull(((Result.Data) zk.sm.getData("/n", Zk.IP)).data());
        assertArrayEquals(new byte[0], ((Result.Data) zk.sm.getData("/e", Zk.IP)).data());
        assertEquals(0, zk.stat("/n").dataLength());
        assertEquals(ErrorCode.MARSHALLING_ERROR, zk.create("/big", new byte[11], 0).code());
        assertEquals(ErrorCode.OK, zk.create("/fits", new byte[10], 0).code());
        assertEquals(ErrorCode.MARSHALLING_ERROR, zk.code(new Op.SetData("/fits", new byte[11], -1)));
    }

    @Test
    void unicodeNamesSortByCodePointAndRoundTrip() {
        Zk zk = new Zk().withSession();
        zk.create("/u");
        List<String> names = new ArrayList<>(List.of("b", "a", "\u00e9", "Z", "a0", "\u4e2d"));
        for (String n : names) {
            assertEquals(0, zk.create("/u/" + n).code());
        }
        names.sort(String::compareTo);
        assertEquals(names, ((Result.Children) zk.sm.getChildren("/u", Zk.IP)).children());
        assertEquals(1, zk.stat("/u/\u4e2d").dataLength());
        assertNull(zk.stat("/u/\ud800"));
    }
}
