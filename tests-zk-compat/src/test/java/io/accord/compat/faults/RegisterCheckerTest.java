package io.accord.compat.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.compat.faults.RegisterChecker.Op;
import io.accord.compat.faults.RegisterChecker.Outcome;
import io.accord.compat.faults.RegisterChecker.Result;
import io.accord.compat.faults.RegisterChecker.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linearizability checker on hand-made histories: it accepts the legal ones and finds the violations. */
class RegisterCheckerTest {
    private static final State INIT = new State("init", 0);

    private static Result check(Op... ops) {
        return RegisterChecker.check(INIT, List.of(ops), 1_000_000);
    }

    @Test
    void sequentialHistoryIsLinearizable() {
        Result r = check(
                Op.read(1, 0, 1, "init", 0),
                Op.cas(2, 2, 3, 0, "a", Outcome.OK),
                Op.cas(3, 4, 5, 0, "b", Outcome.FAIL),
                Op.read(4, 6, 7, "a", 1),
                Op.cas(5, 8, 9, 1, "c", Outcome.OK),
                Op.read(6, 10, 11, "c", 2));
        assertTrue(r.linearizable(), r.toString());
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        // Two cas from version 0 overlap; the second-invoked one wins, and a read overlapping both sees it.
        Result r = check(
                Op.cas(1, 0, 10, 0, "a", Outcome.FAIL),
                Op.cas(2, 1, 5, 0, "b", Outcome.OK),
                Op.read(3, 2, 12, "b", 1),
                Op.read(4, 11, 13, "b", 1));
        assertTrue(r.linearizable(), r.toString());
    }

    @Test
    void staleReadAfterACompletedWriteIsAViolation() {
        Result r = check(
                Op.cas(1, 0, 1, 0, "a", Outcome.OK),
                Op.read(2, 2, 3, "init", 0));
        assertFalse(r.linearizable());
        assertFalse(r.exhausted());
        assertEquals(2, r.stuck().id());
    }

    @Test
    void twoCasFromTheSameVersionCannotBothSucceed() {
        Result r = check(
                Op.cas(1, 0, 5, 0, "a", Outcome.OK),
                Op.cas(2, 1, 6, 0, "b", Outcome.OK));
        assertFalse(r.linearizable());
    }

    @Test
    void aFailedCasMustHaveSeenAnotherVersion() {
        // Nothing else ran: BadVersion on the current version is impossible.
        assertFalse(check(Op.cas(1, 0, 1, 0, "a", Outcome.FAIL)).linearizable());
    }

    @Test
    void readOfAValueNobodyWroteIsAViolation() {
        assertFalse(check(Op.cas(1, 0, 1, 0, "a", Outcome.OK), Op.read(2, 2, 3, "x", 1)).linearizable());
    }

    @Test
    void anUnknownCasMayHaveAppliedLateOrNever() {
        // Unknown cas invoked at 0: a read at 10..11 does not see it, a read at 20..21 does (it applied between).
        assertTrue(check(
                Op.cas(1, 0, 1, 0, "a", Outcome.UNKNOWN),
                Op.read(2, 10, 11, "init", 0),
                Op.read(3, 20, 21, "a", 1)).linearizable());
        // Never applied: later reads keep seeing the initial state.
        assertTrue(check(
                Op.cas(1, 0, 1, 0, "a", Outcome.UNKNOWN),
                Op.read(2, 10, 11, "init", 0)).linearizable());
        // But once seen it cannot be unseen.
        assertFalse(check(
                Op.cas(1, 0, 1, 0, "a", Outcome.UNKNOWN),
                Op.read(2, 10, 11, "a", 1),
                Op.read(3, 20, 21, "init", 0)).linearizable());
    }

    @Test
    void anUnknownCasCannotApplyBeforeItWasInvoked() {
        assertFalse(check(
                Op.read(1, 0, 1, "a", 1),
                Op.cas(2, 5, 6, 0, "a", Outcome.UNKNOWN)).linearizable());
    }

    @Test
    void lostUpdateInsideALongConcurrentHistoryIsFound() {
        // A long legal history of overlapping ops built from a sequential run, then one read made stale.
        Random random = new Random(7);
        List<Op> ops = new ArrayList<>();
        State s = INIT;
        long t = 0;
        for (int i = 1; i <= 400; i++) {
            // Each op takes effect at time t, invoked up to 5 before and completing up to 5 after.
            long call = t - random.nextInt(5);
            long ret = t + 1 + random.nextInt(5);
            if (random.nextBoolean()) {
                ops.add(Op.read(i, call, ret, s.value(), s.version()));
            } else {
                int expected = random.nextInt(4) == 0 ? s.version() + 1 : s.version();
                boolean applies = expected == s.version();
                ops.add(Op.cas(i, call, ret, expected, "v" + i, applies ? Outcome.OK : Outcome.FAIL));
                if (applies) {
                    s = new State("v" + i, s.version() + 1);
                }
            }
            t += 10;
        }
        assertTrue(RegisterChecker.check(INIT, ops, 10_000_000).linearizable());
        // Make read 300 (or the next read) return the state of 50 steps earlier.
        for (int i = 299; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.kind() == RegisterChecker.Kind.READ && op.version() > 3) {
                ops.set(i, Op.read(op.id(), op.call(), op.ret(), "init", 0));
                Result r = RegisterChecker.check(INIT, ops, 10_000_000);
                assertFalse(r.linearizable(), r.toString());
                assertFalse(r.exhausted());
                return;
            }
        }
        throw new AssertionError("no read to corrupt");
    }
}
