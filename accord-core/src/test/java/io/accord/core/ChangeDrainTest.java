package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.core.image.AclImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.txn.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a drain of tracked changes reports about removed znodes. */
class ChangeDrainTest {

    /** Records the removals and puts a drain reports, in order. */
    private static final class Recorder implements ChangeSink {
        final List<String> removed = new ArrayList<>();
        final List<String> put = new ArrayList<>();

        @Override
        public void aclPut(AclImage acl) {
        }

        @Override
        public void aclRemoved(int aclId) {
        }

        @Override
        public void nodePut(NodeImage node) {
            put.add(node.path());
        }

        @Override
        public void nodeRemoved(String path) {
            removed.add(path);
        }

        @Override
        public void sessionPut(SessionImage session) {
        }

        @Override
        public void sessionRemoved(long sessionId) {
        }

        @Override
        public void meta(MetaImage meta) {
        }
    }

    @Test
    void removalsAreReportedOnceEachChildrenBeforeParents() {
        Zk zk = new Zk().withSession();
        for (String p : List.of("/a", "/a/b", "/a/b/c", "/a-z", "/a/d", "/x", "/again")) {
            zk.create(p);
        }
        zk.sm.trackChanges();
        zk.sm.drainChanges(new Recorder()); // forget the creates
        for (String p : List.of("/a/b/c", "/a-z", "/a/b", "/a/d", "/a", "/again")) {
            assertEquals(0, zk.code(new Op.Delete(p, -1)), p);
        }
        for (int i = 0; i < 3; i++) { // removed three times in one drain, reported once
            zk.create("/again");
            assertEquals(0, zk.code(new Op.Delete("/again", -1)));
        }
        zk.create("/a"); // removed, then created again: reported removed, then put
        Recorder drained = new Recorder();
        zk.sm.drainChanges(drained);
        assertEquals(List.of("/again", "/a/d", "/a/b/c", "/a/b", "/a-z", "/a"), drained.removed);
        assertEquals(List.of("/", "/a"), drained.put);
    }
}
