package io.accord.compat.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability of one versioned register (a znode's data and version), checked with the Wing &amp; Gong search
 * as Lowe improved it (a cache of visited (linearized set, state) configurations), in the style of porcupine.
 *
 * <p>The model: state (value, version). A read returns both. A compare-and-set {@code cas(expected, value)} (ZooKeeper
 * setData with a version) applies when the version equals {@code expected}, making (value, expected + 1), and
 * otherwise fails with BadVersion. An operation with an unknown outcome may have taken effect at any time after it
 * was invoked, or never: its return is at infinity and, when linearized, it applies iff its version matches (never
 * applying is covered by placing it after every completed operation). Failed reads and reads with unknown outcome
 * say nothing and are left out.
 */
final class RegisterChecker {
    enum Kind { READ, CAS }

    enum Outcome { OK, FAIL, UNKNOWN }

    /**
     * One operation: for a read, {@code value}/{@code version} are what it returned; for a cas, {@code expected} is
     * the version it required and {@code value} what it wrote ({@code version} is the version its ok reply reported,
     * or -1). Times: invocation and completion ({@code Long.MAX_VALUE} when unknown).
     */
    record Op(long id, Kind kind, int expected, String value, int version, Outcome outcome, long call, long ret) {
        static Op read(long id, long call, long ret, String value, int version) {
            return new Op(id, Kind.READ, -1, value, version, Outcome.OK, call, ret);
        }

        static Op cas(long id, long call, long ret, int expected, String value, Outcome outcome) {
            return new Op(id, Kind.CAS, expected, value, outcome == Outcome.OK ? expected + 1 : -1, outcome, call,
                    outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : ret);
        }
    }

    record State(String value, int version) {
    }

    /**
     * The result: linearizable or not, the operations linearized at the deepest point of the search, and the operation
     * whose completion could not be justified there (null when linearizable). {@code exhausted} when the search gave
     * up after its step budget (neither proof nor violation).
     */
    record Result(boolean linearizable, boolean exhausted, int deepest, Op stuck, long steps) {
    }

    private static final class Entry {
        final Op op;
        final boolean call;
        final int index;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Op op, boolean call, int index) {
            this.op = op;
            this.call = call;
            this.index = index;
        }

        long time() {
            return call ? op.call() : op.ret();
        }
    }

    private record Config(BitSet linearized, State state) {
    }

    private record Frame(Entry entry, State state) {
    }

    private RegisterChecker() {
    }

    /** Whether {@code history} (one register, starting in {@code initial}) is linearizable, in {@code budget} steps. */
    static Result check(State initial, List<Op> history, long budget) {
        List<Op> ops = history.stream()
                .filter(op -> op.kind() == Kind.CAS || op.outcome() == Outcome.OK).toList();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Entry call = new Entry(ops.get(i), true, i);
            Entry ret = new Entry(ops.get(i), false, i);
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        // By time; at equal times calls first (the operations then count as concurrent, the lenient reading).
        entries.sort(Comparator.comparingLong(Entry::time).thenComparing(e -> !e.call));
        Entry head = new Entry(null, false, -1);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        Set<Config> cache = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet(ops.size());
        State state = initial;
        Entry entry = head.next;
        int deepest = 0;
        Op stuck = null;
        long steps = 0;
        while (head.next != null) {
            if (++steps > budget) {
                return new Result(false, true, deepest, stuck, steps);
            }
            if (entry.call) {
                State next = step(state, entry.op);
                if (next != null) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(entry.index);
                    if (cache.add(new Config(with, next))) {
                        stack.push(new Frame(entry, state));
                        state = next;
                        linearized.set(entry.index);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // A completion whose operation is not linearized yet: this prefix fails; backtrack.
                if (stack.size() >= deepest) {
                    deepest = stack.size();
                    stuck = entry.op;
                }
                if (stack.isEmpty()) {
                    return new Result(false, false, deepest, stuck, steps);
                }
                Frame top = stack.pop();
                state = top.state();
                linearized.clear(top.entry().index);
                unlift(top.entry());
                entry = top.entry().next;
            }
        }
        return new Result(true, false, ops.size(), null, steps);
    }

    /** The state after {@code op} in {@code s}, or null when {@code op}'s outcome is impossible there. */
    static State step(State s, Op op) {
        if (op.kind() == Kind.READ) {
            return Objects.equals(s.value(), op.value()) && s.version() == op.version() ? s : null;
        }
        boolean matches = s.version() == op.expected();
        return switch (op.outcome()) {
            case OK -> matches ? new State(op.value(), op.expected() + 1) : null;
            case FAIL -> matches ? null : s;
            case UNKNOWN -> matches ? new State(op.value(), op.expected() + 1) : s;
        };
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }
}
