package io.accord.compat.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A history of client operations as a model checker reads it: each operation is invoked by one process (a client
 * thread) and completes as ok, fail (it certainly did not take effect) or info (unknown: it may or may not have taken
 * effect, e.g. a connection loss), with the zxid where the reply carried one. Times are System.nanoTime of this JVM,
 * taken before the request is sent and after the reply arrived. Thread-safe.
 */
final class History {
    enum Type { INVOKE, OK, FAIL, INFO }

    /** One line of the history: an invocation or a completion of operation {@code op}. */
    record Event(long op, int process, Type type, String f, String key, String value, long zxid, long nanos) {
        @Override
        public String toString() {
            return String.format("%9.3f p%-3d %-6s %-8s %s %s%s", nanos / 1e9, process, type, f, key,
                    value == null ? "" : value, zxid > 0 ? " zxid=0x" + Long.toHexString(zxid) : "");
        }
    }

    /** An operation: its invocation arguments and, once completed, its outcome. */
    final class Op {
        final long id;
        final int process;
        final String f;
        final String key;
        final String arg;
        final int argVersion;
        final long invokeNanos;
        volatile Type outcome;
        volatile String result;
        volatile int resultVersion = -1;
        volatile long zxid;
        volatile long returnNanos = Long.MAX_VALUE;

        private Op(long id, int process, String f, String key, String arg, int argVersion) {
            this.id = id;
            this.process = process;
            this.f = f;
            this.key = key;
            this.arg = arg;
            this.argVersion = argVersion;
            this.invokeNanos = now();
        }

        Op ok(String value, int version, long zxid) {
            return complete(Type.OK, value, version, zxid);
        }

        Op fail(String why) {
            return complete(Type.FAIL, why, -1, 0);
        }

        Op info(String why) {
            return complete(Type.INFO, why, -1, 0);
        }

        private Op complete(Type type, String value, int version, long zxid) {
            if (outcome != null) {
                throw new IllegalStateException("op " + id + " completed twice");
            }
            this.result = value;
            this.resultVersion = version;
            this.zxid = zxid;
            this.returnNanos = now();
            this.outcome = type;
            add(new Event(id, process, type, f, key, version >= 0 ? value + "@v" + version : value, zxid, returnNanos));
            return this;
        }

        boolean ok() {
            return outcome == Type.OK;
        }

        /** Unknown outcome: completed as info, or never completed (the run ended while it was in flight). */
        boolean unknown() {
            return outcome == null || outcome == Type.INFO;
        }

        @Override
        public String toString() {
            return "op " + id + " p" + process + " " + f + " " + key + " " + (arg == null ? "" : arg)
                    + (argVersion >= 0 ? " if v" + argVersion : "") + " -> " + (outcome == null ? "pending" : outcome)
                    + " " + (result == null ? "" : result) + (resultVersion >= 0 ? "@v" + resultVersion : "")
                    + (zxid > 0 ? " zxid=0x" + Long.toHexString(zxid) : "");
        }
    }

    private final long start = System.nanoTime();
    private final AtomicLong ids = new AtomicLong();
    private final List<Event> events = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();

    long now() {
        return System.nanoTime() - start;
    }

    Op invoke(int process, String f, String key, String arg) {
        return invoke(process, f, key, arg, -1);
    }

    Op invoke(int process, String f, String key, String arg, int argVersion) {
        Op op = new Op(ids.incrementAndGet(), process, f, key, arg, argVersion);
        synchronized (this) {
            ops.add(op);
        }
        add(new Event(op.id, process, Type.INVOKE, f, key,
                argVersion >= 0 ? arg + " if v" + argVersion : arg, 0, op.invokeNanos));
        return op;
    }

    private synchronized void add(Event e) {
        events.add(e);
    }

    synchronized List<Op> ops() {
        return new ArrayList<>(ops);
    }

    synchronized List<Op> ops(Predicate<Op> which) {
        return ops.stream().filter(which).toList();
    }

    synchronized int size() {
        return ops.size();
    }

    /**
     * The events of the given operations, of every operation that overlapped them in time and of the 8 operations on
     * the same key that completed last before them, in order: the part of the history a reader needs to see why a
     * checker rejected it (at most {@code max} lines).
     */
    synchronized String excerpt(Set<Long> opIds, int max) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        String key = null;
        for (Op op : ops) {
            if (opIds.contains(op.id)) {
                from = Math.min(from, op.invokeNanos);
                to = Math.max(to, op.returnNanos == Long.MAX_VALUE ? op.invokeNanos : op.returnNanos);
                key = op.key;
            }
        }
        List<Long> around = new ArrayList<>();
        List<Op> before = new ArrayList<>();
        for (Op op : ops) {
            if (key == null || key.equals(op.key)) {
                if (op.invokeNanos <= to && op.returnNanos >= from) {
                    around.add(op.id);
                } else if (op.returnNanos < from) {
                    before.add(op);
                }
            }
        }
        before.sort(Comparator.comparingLong(op -> -op.returnNanos));
        before.stream().limit(8).forEach(op -> around.add(op.id));
        StringBuilder b = new StringBuilder();
        int lines = 0;
        for (Event e : events) {
            if (around.contains(e.op())) {
                if (lines++ == max) {
                    b.append("  ...\n");
                    break;
                }
                b.append(opIds.contains(e.op()) ? "> " : "  ").append(e).append('\n');
            }
        }
        return b.toString();
    }
}
