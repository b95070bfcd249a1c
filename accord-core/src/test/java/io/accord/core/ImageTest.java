package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.acl.Perms;
import io.accord.core.image.AclImage;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.txn.Op;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Requirement 1: writeImage produces exactly what the loader consumes; derived indexes are rebuilt. */
class ImageTest {

    private static StateMachine restore(StateMachine sm) {
        StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults().withContainerCheckIntervalMs(1000));
        sm.writeImage(loader);
        return loader.finish();
    }

    /** Runs the same tail of operations on a driver; returns it. */
    private static void tail(Zk zk) {
        zk.op(new Op.CloseSession());
        zk.time += 10_000;
        zk.tick();
    }

    @Test
    void restoredReplicaRebuildsEphemeralContainerAndTtlIndexes() {
        CoreConfig cfg = CoreConfig.defaults().withContainerCheckIntervalMs(1000);
        Zk original = new Zk(cfg).withSession();
        original.tick();
        original.create("/e", null, 1);
        original.op(new Op.Create(Op.OPCODE_CREATE_CONTAINER, "/c", null, Zk.OPEN, 4, -1));
        original.create("/c/x");
        original.op(new Op.Delete("/c/x", -1));
        original.op(new Op.Create(Op.OPCODE_CREATE_TTL, "/t", Zk.bytes("t"), Zk.OPEN, 5, 500));
        original.op(new Op.Create(1, "/acl", null, List.of(new Acl(Perms.READ, new Id("ip", "10.0.0.0/8"))), 0, -1));
        Zk restored = new Zk(restore(original.sm));
        restored.position = original.position;
        restored.time = original.time;
        restored.origin = original.origin;
        restored.sequence = original.sequence;
        restored.session = original.session;
        assertEquals(original.sm.digest(), restored.sm.digest());
        assertEquals(original.sm.ephemeralCount(), restored.sm.ephemeralCount());
        assertEquals(original.sm.approximateDataSize(), restored.sm.approximateDataSize());
        tail(original);
        tail(restored);
        assertNull(restored.stat("/e"));
        assertNull(restored.stat("/c"));
        assertNull(restored.stat("/t"));
        assertEquals(original.sm.digest(), restored.sm.digest());
        assertEquals(ImageModel.of(original.sm).render(), ImageModel.of(restored.sm).render());
        // ACL ids stay deterministic after restore: the same new list gets the same id on both
        List<Acl> fresh = List.of(new Acl(Perms.ALL, new Id("ip", "1.2.3.4")));
        original.request(new io.accord.core.txn.Request(0, 0, 0, Zk.IP, new Op.Create(1, "/n", null, fresh, 0, -1)));
        restored.request(new io.accord.core.txn.Request(0, 0, 0, Zk.IP, new Op.Create(1, "/n", null, fresh, 0, -1)));
        assertEquals(ImageModel.of(original.sm).render(), ImageModel.of(restored.sm).render());
    }

    @Test
    void loaderRejectsImagesThatBreakTheContract() {
        StateMachine.Loader noRoot = StateMachine.loader(CoreConfig.defaults());
        noRoot.meta(new MetaImage(0, 0, 0, 0, 0, new TreeMap<>()));
        assertThrows(IllegalStateException.class, noRoot::finish);
        StateMachine.Loader orphan = StateMachine.loader(CoreConfig.defaults());
        orphan.acl(new AclImage(0, Acl.OPEN_ACL_UNSAFE));
        orphan.node(new NodeImage("/", new byte[0], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> orphan.node(new NodeImage("/a/b", null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        StateMachine.Loader badAcl = StateMachine.loader(CoreConfig.defaults());
        badAcl.acl(new AclImage(0, Acl.OPEN_ACL_UNSAFE));
        badAcl.node(new NodeImage("/", new byte[0], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalStateException.class,
                () -> badAcl.node(new NodeImage("/a", null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7)));
    }
}
