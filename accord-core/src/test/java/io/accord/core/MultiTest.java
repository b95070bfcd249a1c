package io.accord.core;

import static io.accord.core.Zk.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MultiTest {

    private static Op.Create create(String path) {
        return new Op.Create(Op.OPCODE_CREATE, path, bytes("v"), Zk.OPEN, 0, -1);
    }

    private static List<Integer> codes(Result r) {
        return ((Result.Multi) r).results().stream().map(Result::code).toList();
    }

    /** A full image: nodes, ACLs and sessions rendered by {@link ImageModel}, and the meta record itself. */
    private record Image(ImageModel model, MetaImage meta) {
        static Image of(StateMachine sm) {
            ImageModel model = new ImageModel();
            MetaImage[] meta = new MetaImage[1];
            sm.writeImage(new ImageSink() {
                @Override
                public void meta(MetaImage m) {
                    meta[0] = m;
                    model.meta(m);
                }

                @Override
                public void acl(AclImage acl) {
                    model.acl(acl);
                }

                @Override
                public void node(NodeImage node) {
                    model.node(node);
                }

                @Override
                public void session(SessionImage session) {
                    model.session(session);
                }
            });
            return new Image(model, meta[0]);
        }
    }

    @Test
    void failedMultiHasZooKeepersShapeChangesNothingAndFiresNothing() {
        // PROTOCOL.md 5.2: [create ok-op, check bad version, setData, delete] → [(−1,0),(−1,−103),(−1,−2),(−1,−2)].
        Zk zk = new Zk().withSession();
        zk.create("/m");
        zk.sm.trackChanges();
        zk.sm.drainChanges(new ImageModel()); // forget everything before the multi
        long digestBefore = zk.sm.digest();
        Image before = Image.of(zk.sm);
        long zxidBefore = zk.sm.lastZxid();
        int appliedBefore = zk.applied.size();
        Stat statBefore = zk.stat("/m");
        Applied a = zk.op(new Op.Multi(List.of(create("/m/a"), new Op.Check("/m", 7),
                new Op.SetData("/m", bytes("x"), -1), new Op.Delete("/m/a", -1))));
        Result.Multi m = (Result.Multi) a.result();
        assertTrue(m.failed());
        assertEquals(0, m.code());
        assertEquals(List.of(0, -103, -2, -2), codes(m));
        assertTrue(m.results().stream().allMatch(r -> r instanceof Result.Error));

        // PROTOCOL.md 4.1 and 4.3: a failed multi consumes exactly one zxid, like any failed write
        assertEquals(zxidBefore + 1, a.zxid());
        assertEquals(zxidBefore + 1, zk.sm.lastZxid());

        // it fired nothing: the entry produced this one Applied, without events
        assertEquals(appliedBefore + 1, zk.applied.size());
        assertEquals(List.of(), a.events());

        // it changed nothing: nodes, ACLs and sessions are exactly as before, and the meta moved only as any
        // applied entry moves it (position, log time, the origin's sequence) plus the one zxid
        Image after = Image.of(zk.sm);
        assertNull(zk.stat("/m/a"));
        assertEquals(statBefore, zk.stat("/m"));
        assertEquals(before.model().nodes, after.model().nodes);
        assertEquals(before.model().acls, after.model().acls);
        assertEquals(before.model().sessions, after.model().sessions);
        TreeMap<Integer, Long> sequences = new TreeMap<>(before.meta().originSequences());
        sequences.put(zk.origin, zk.sequence);
        assertEquals(new MetaImage(zk.position, zxidBefore + 1, before.meta().lastSessionId(), zk.time,
                before.meta().lastContainerCheck(), sequences), after.meta());
        assertTrue(digestBefore != zk.sm.digest(), "the digest covers the zxid counter");
        // and the change tracker (what checkpoints write) recorded no node, ACL or session change
        ImageModel drained = new ImageModel();
        zk.sm.drainChanges(drained);
        assertEquals(0, drained.nodes.size() + drained.acls.size() + drained.sessions.size(),
                drained.render());

        // the next successful write gets the zxid right after the failed multi's
        Applied next = zk.op(new Op.Create(Op.OPCODE_CREATE2, "/m/b", null, Zk.OPEN, 0, -1));
        assertEquals(0, next.result().code());
        assertEquals(zxidBefore + 2, next.zxid());
        assertEquals(zxidBefore + 2, zk.stat("/m/b").czxid());
        assertEquals(zxidBefore + 2, zk.stat("/m").pzxid());
        assertEquals(zxidBefore + 2, zk.sm.lastZxid());
    }

    @Test
    void opsSeeEarlierOpsAndShareOneZxid() {
        // PROTOCOL.md 5.2: create a parent, a child, setData version 0, delete: all succeed, one zxid.
        Zk zk = new Zk().withSession();
        zk.create("/mw");
        long before = zk.sm.lastZxid();
        Applied a = zk.op(new Op.Multi(List.of(create("/mw/x"), create("/mw/x/y"),
                new Op.SetData("/mw/x/y", bytes("z"), 0), new Op.Delete("/mw/x/y", 1), new Op.SetData("/mw", null, -1),
                new Op.Check("/mw/x", 0))));
        Result.Multi m = (Result.Multi) a.result();
        assertEquals(false, m.failed());
        assertEquals(before + 1, a.zxid());
        assertEquals(before + 1, zk.sm.lastZxid());
        assertEquals("/mw/x", ((Result.Created) m.results().get(0)).path());
        assertEquals(1, ((Result.StatOnly) m.results().get(2)).stat().version());
        assertEquals(Result.Done.INSTANCE, m.results().get(3));
        assertEquals(a.zxid(), zk.stat("/mw/x").czxid());
        assertEquals(a.zxid(), zk.stat("/mw").mzxid());
        assertNull(zk.stat("/mw/x/y"));
        // every op's events in op order (PROTOCOL.md 5.2 example: NodeCreated /mw/x, NodeChildrenChanged /mw, ...)
        List<ChangeEvent> ev = a.events();
        assertEquals(new ChangeEvent(EventType.NODE_CREATED, "/mw/x", Zk.OPEN), ev.get(0));
        assertEquals(new ChangeEvent(EventType.NODE_CHILDREN_CHANGED, "/mw", Zk.OPEN), ev.get(1));
        assertEquals(List.of(EventType.NODE_CREATED, EventType.NODE_CHILDREN_CHANGED, EventType.NODE_CREATED,
                EventType.NODE_CHILDREN_CHANGED, EventType.NODE_DATA_CHANGED, EventType.NODE_DELETED,
                EventType.NODE_CHILDREN_CHANGED, EventType.NODE_DATA_CHANGED),
                ev.stream().map(ChangeEvent::type).toList());
    }

    @Test
    void sequentialCreatesInOneMultiGetConsecutiveNumbers() {
        // PROTOCOL.md 4.4: two sequential creates in one multi get consecutive numbers.
        Zk zk = new Zk().withSession();
        zk.create("/q");
        Op.Create seq = new Op.Create(Op.OPCODE_CREATE2, "/q/s-", null, Zk.OPEN, 2, -1);
        Result.Multi m = (Result.Multi) zk.op(new Op.Multi(List.of(seq, seq))).result();
        assertEquals("/q/s-0000000000", ((Result.Created) m.results().get(0)).path());
        assertEquals("/q/s-0000000001", ((Result.Created) m.results().get(1)).path());
    }

    @Test
    void overlayCatchesConflictsWithinTheMulti() {
        Zk zk = new Zk().withSession();
        zk.create("/p");
        // create twice → second NODEEXISTS; delete then create again → fine; delete parent with pending child → NOTEMPTY
        assertEquals(List.of(0, -110), codes(zk.op(new Op.Multi(List.of(create("/p/a"), create("/p/a")))).result()));
        assertEquals(List.of(0, 0), codes(zk.op(new Op.Multi(List.of(new Op.Delete("/p", -1), create("/p")))).result()));
        assertEquals(List.of(0, -111, -2),
                codes(zk.op(new Op.Multi(List.of(create("/p/b"), new Op.Delete("/p", -1), create("/z")))).result()));
        assertNull(zk.stat("/p/b"));
        // an ephemeral created earlier in the multi cannot get children
        Op.Create eph = new Op.Create(Op.OPCODE_CREATE, "/p/e", null, Zk.OPEN, 1, -1);
        assertEquals(List.of(0, -108), codes(zk.op(new Op.Multi(List.of(eph, create("/p/e/c")))).result()));
        assertEquals(0, zk.sm.ephemeralCount());
        // version checks see earlier setData
        assertEquals(List.of(0, -103), codes(zk.op(new Op.Multi(List.of(new Op.SetData("/p", null, 0),
                new Op.SetData("/p", null, 0)))).result()));
        assertEquals(0, zk.stat("/p").version());
    }

    @Test
    void disallowedOpsFailTheWholeRequestWithMarshallingError() {
        // PROTOCOL.md 5.1: anything but create*/delete/setData/check → MARSHALLINGERROR for the whole request.
        Zk zk = new Zk().withSession();
        for (Op bad : List.<Op>of(new Op.Sync("/"), new Op.SetAcl("/", Zk.OPEN, -1), new Op.Multi(List.of()),
                new Op.DeleteContainer("/x"), new Op.Tick())) {
            Applied a = zk.op(new Op.Multi(List.of(create("/ok"), bad)));
            assertEquals(ErrorCode.MARSHALLING_ERROR, a.result().code(), bad.toString());
            assertNull(zk.stat("/ok"));
        }
        assertEquals(ErrorCode.MARSHALLING_ERROR, zk.op(new Op.Multi(null)).result().code());
        java.util.ArrayList<Op> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertEquals(ErrorCode.MARSHALLING_ERROR, zk.op(new Op.Multi(withNull)).result().code());
    }

    @Test
    void emptyMultiIsOk() {
        // PROTOCOL.md 5.1: empty multi → OK with no results.
        Zk zk = new Zk().withSession();
        Applied a = zk.op(new Op.Multi(List.of()));
        assertEquals(new Result.Multi(List.of(), false), a.result());
        assertEquals(List.of(), a.events());
    }

    @Test
    void readersNeverSeeHalfAMulti() throws Exception {
        // Requirement 9: a multi is atomic to readers. A reader polls both nodes; each read sees both or neither.
        Zk zk = new Zk().withSession();
        zk.create("/r");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger torn = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                boolean[] seen = zk.sm.readLocked(() -> new boolean[] {zk.sm.statOf("/r/a") != null,
                        zk.sm.statOf("/r/b") != null});
                if (seen[0] != seen[1]) {
                    torn.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        for (int i = 0; i < 2000; i++) {
            zk.op(new Op.Multi(List.of(create("/r/a"), create("/r/b"))));
            zk.op(new Op.Multi(List.of(new Op.Delete("/r/a", -1), new Op.Delete("/r/b", -1))));
        }
        stop.set(true);
        reader.join();
        assertEquals(0, torn.get());
        assertTrue(reads.get() > 0);
    }
}
