package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.core.acl.AclRules;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclTest {
    private static final Id USER1 = new Id("digest", "user1:GMJqCvSAmNfv41XqBotWHO0HsNc=");
    private final StateMachine sm = new StateMachine(CoreConfig.defaults());

    private static List<Id> ip(String addr) {
        return List.of(new Id("ip", addr));
    }

    private static List<Acl> ipAcl(String expr) {
        return List.of(new Acl(Perms.READ, new Id("ip", expr)));
    }

    @Test
    void emptyAclPermitsEverythingAndSuperBypasses() {
        // PROTOCOL.md 7.2: empty ACL list = everyone may do anything; super passes every check.
        assertTrue(sm.permits(List.of(), List.of(), Perms.ADMIN));
        assertTrue(sm.permits(List.of(new Acl(0, Id.ANYONE)), List.of(Id.SUPER), Perms.ALL));
        assertFalse(sm.permits(List.of(new Acl(0, Id.ANYONE)), ip("1.2.3.4"), Perms.READ));
        assertTrue(sm.permits(Acl.READ_ACL_UNSAFE, List.of(), Perms.READ));
        assertFalse(sm.permits(Acl.READ_ACL_UNSAFE, List.of(), Perms.WRITE));
        assertTrue(sm.permits(List.of(new Acl(Perms.ALL, USER1)), List.of(USER1), Perms.DELETE));
        assertFalse(sm.permits(List.of(new Acl(Perms.ALL, USER1)),
                List.of(new Id("digest", "user1:wrong")), Perms.DELETE));
    }

    @Test
    void ipAclsMatchByPrefixForIpv4AndIpv6() {
        // PROTOCOL.md 7.3: 127.0.0.0/8 allowed, 10.0.0.1 denied; IPv6 and IPv6/bits too.
        assertTrue(sm.permits(ipAcl("127.0.0.0/8"), ip("127.0.0.1"), Perms.READ));
        assertFalse(sm.permits(ipAcl("10.0.0.1"), ip("127.0.0.1"), Perms.READ));
        assertTrue(sm.permits(ipAcl("10.0.0.1"), ip("10.0.0.1"), Perms.READ));
        assertTrue(sm.permits(ipAcl("10.1.0.0/15"), ip("10.0.255.7"), Perms.READ));
        assertFalse(sm.permits(ipAcl("10.1.0.0/16"), ip("10.0.255.7"), Perms.READ));
        assertTrue(sm.permits(ipAcl("0.0.0.0/0"), ip("8.8.8.8"), Perms.READ));
        assertTrue(sm.permits(ipAcl("2001:db8::/32"), ip("2001:db8:0:0:1::5"), Perms.READ));
        assertFalse(sm.permits(ipAcl("2001:db8::/32"), ip("2001:db9::1"), Perms.READ));
        assertTrue(sm.permits(ipAcl("::1"), ip("0:0:0:0:0:0:0:1"), Perms.READ));
        assertTrue(sm.permits(ipAcl("::ffff:1.2.3.0/120"), ip("::ffff:1.2.3.4"), Perms.READ));
        assertFalse(sm.permits(ipAcl("127.0.0.1"), ip("::1"), Perms.READ));
        assertFalse(sm.permits(ipAcl("127.0.0.1/33"), ip("127.0.0.1"), Perms.READ));
    }

    @Test
    void fixupRejectsMalformedIdsAndUnknownSchemes() {
        // PROTOCOL.md 7.3 fixupACL: empty/null → INVALIDACL, unknown scheme, digest without ':', bad ip.
        List<Id> me = List.of(new Id("ip", "1.1.1.1"), USER1);
        assertNull(AclRules.fixup(null, me));
        assertNull(AclRules.fixup(List.of(), me));
        for (Id bad : List.of(new Id("foo", "x"), new Id("digest", "nocolon"), new Id("digest", "a:"),
                new Id("digest", "a:b:c"), new Id("ip", "300.1.1.1"), new Id("ip", "1.2.3"), new Id("ip", "1.2.3.4/40"),
                new Id("ip", "::g"), new Id("world", "someone"), new Id("super", ""))) {
            assertNull(AclRules.fixup(List.of(new Acl(Perms.ALL, bad)), me), bad.toString());
        }
        assertEquals(List.of(new Acl(0, new Id("ip", "10.0.0.0/8"))),
                AclRules.fixup(List.of(new Acl(0, new Id("ip", "10.0.0.0/8"))), me));
        assertEquals(List.of(new Acl(Perms.READ, Id.ANYONE)),
                AclRules.fixup(List.of(new Acl(Perms.READ, Id.ANYONE), new Acl(Perms.READ, Id.ANYONE)), me));
        assertEquals(List.of(new Acl(Perms.ALL, USER1)),
                AclRules.fixup(List.of(new Acl(Perms.ALL, new Id("auth", "ignored"))), me));
        assertNull(AclRules.fixup(List.of(new Acl(Perms.ALL, new Id("auth", ""))), List.of(Id.SUPER)));
    }

    @Test
    void getAclRedactsDigestsWithoutAdmin() {
        // PROTOCOL.md 7.2: getACL needs READ or ADMIN; without ADMIN digest ids become user:x.
        Zk zk = new Zk().withSession();
        zk.op(new Op.Create(1, "/n", null, List.of(new Acl(Perms.READ, USER1), new Acl(Perms.READ, Id.ANYONE),
                new Acl(Perms.ADMIN, new Id("ip", "10.0.0.0/8"))), 0, -1));
        Result.AclList noAdmin = (Result.AclList) zk.sm.getAcl("/n", ip("127.0.0.1"));
        assertEquals(new Acl(Perms.READ, new Id("digest", "user1:x")), noAdmin.acl().get(0));
        assertEquals(new Acl(Perms.READ, Id.ANYONE), noAdmin.acl().get(1));
        Result.AclList admin = (Result.AclList) zk.sm.getAcl("/n", ip("10.1.2.3"));
        assertEquals(USER1, admin.acl().get(0).id());
        zk.op(new Op.Create(1, "/adminonly", null, List.of(new Acl(Perms.ADMIN, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.OK, zk.sm.getAcl("/adminonly", List.of()).code());
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getData("/adminonly", List.of()).code());
        zk.op(new Op.Create(1, "/none", null, List.of(new Acl(Perms.WRITE, Id.ANYONE)), 0, -1));
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getAcl("/none", List.of()).code());
    }

    @Test
    void permsZeroMakesANodeUnreadableButCreatable() {
        // PROTOCOL.md 7.3: perms 0 is allowed and makes the node unreadable.
        Zk zk = new Zk().withSession();
        assertEquals(ErrorCode.OK, zk.code(new Op.Create(1, "/z", null, List.of(new Acl(0, Id.ANYONE)), 0, -1)));
        assertEquals(ErrorCode.NO_AUTH, zk.sm.getData("/z", Zk.IP).code());
        assertEquals(ErrorCode.NO_AUTH, zk.code(new Op.Create(1, "/z/c", null, Zk.OPEN, 0, -1)));
        // check inside a multi needs READ (PROTOCOL.md 7.2)
        Result.Multi m = (Result.Multi) zk.op(new Op.Multi(List.of(new Op.Check("/z", -1)))).result();
        assertEquals(List.of(ErrorCode.NO_AUTH), m.results().stream().map(Result::code).toList());
    }

    @Test
    void aclTableInternsAndForgetsLists() {
        Zk zk = new Zk().withSession();
        List<Acl> custom = List.of(new Acl(Perms.READ, USER1));
        zk.op(new Op.Create(1, "/a", null, custom, 0, -1));
        zk.op(new Op.Create(1, "/b", null, custom, 0, -1));
        zk.op(new Op.Delete("/a", -1));
        assertEquals(custom, ((Result.AclList) zk.sm.getAcl("/b", List.of(Id.SUPER))).acl());
        zk.op(new Op.Delete("/b", -1));
        List<Integer> ids = new java.util.ArrayList<>();
        zk.sm.writeImage(new io.accord.core.image.ImageSink() {
            @Override
            public void meta(io.accord.core.image.MetaImage meta) {
            }

            @Override
            public void acl(io.accord.core.image.AclImage acl) {
                ids.add(acl.aclId());
            }

            @Override
            public void node(io.accord.core.image.NodeImage node) {
            }

            @Override
            public void session(io.accord.core.image.SessionImage session) {
            }
        });
        assertEquals(List.of(0, 1), ids, "only the open and read-only lists remain");
    }
}
