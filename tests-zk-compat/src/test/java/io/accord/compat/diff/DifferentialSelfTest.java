package io.accord.compat.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.accord.compat.Targets;
import io.accord.compat.Targets.TargetPair;

/** The differential framework must notice divergences: planted ones here, and zxid relations. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DifferentialSelfTest {

    private static final TargetPair REAL_VS_REAL = new TargetPair(Targets.REFERENCE, Targets.REFERENCE);

    @Test
    void aWriteOnlyTheSubjectSawIsReportedAsADivergence() {
        AssertionError error = assertThrows(AssertionError.class, () -> Lockstep.run(REAL_VS_REAL, 1, 60, (step, subject) -> {
            if (step == 10) {
                try {
                    subject.observer().setData(Scenario.ROOT + "/a", "planted".getBytes(), -1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        assertTrue(error.getMessage().startsWith("divergence"), error.getMessage());
    }

    @Test
    void anExtraNodeIsReportedAtTheLatestInTheFinalTree() {
        AssertionError error = assertThrows(AssertionError.class, () -> Lockstep.run(REAL_VS_REAL, 2, 20, (step, subject) -> {
            if (step == 19) {
                try {
                    subject.observer().create(Scenario.ROOT + "/planted", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        assertTrue(error.getMessage().contains("divergence"), error.getMessage());
    }

    @Test
    void zxidsAreComparedByEqualityAndOrderNotByValue() {
        Normalizer a = new Normalizer();
        Normalizer b = new Normalizer();
        assertEquals(a.zxid(10) + a.zxid(20) + a.zxid(10), b.zxid(1000) + b.zxid(3000) + b.zxid(1000), "gaps do not matter");
        assertNotEquals(a.zxid(15), b.zxid(5000), "15 lies between 10 and 20; 5000 lies above both");
        assertEquals("z0", a.zxid(0));
        assertEquals("z-1", a.zxid(-1));
    }

    @Test
    void timesAreComparedAsRelations() {
        Normalizer a = new Normalizer();
        Normalizer b = new Normalizer();
        Stat created = new Stat(5, 5, 1000, 1000, 0, 0, 0, 0, 0, 0, 5);
        Stat createdOther = new Stat(50, 50, 7777, 7777, 0, 0, 0, 0, 0, 0, 50);
        assertEquals(a.stat(created), b.stat(createdOther));
        Stat skewed = new Stat(60, 60, 7000, 7001, 0, 0, 0, 0, 0, 0, 60);
        assertNotEquals(a.stat(new Stat(6, 6, 1001, 1001, 0, 0, 0, 0, 0, 0, 6)), b.stat(skewed), "one zxid, two times");
        Normalizer c = new Normalizer();
        c.stat(createdOther);
        assertEquals(0, c.violations().size());
        c.stat(new Stat(70, 70, 10, 10, 0, 0, 0, 0, 0, 0, 70));
        assertEquals(1, c.violations().size(), "a later zxid with an earlier time: " + c.violations());
    }
}
