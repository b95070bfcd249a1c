package io.accord.tools.bench;

import io.accord.core.acl.Acl;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.Code;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.DeleteRequest;
import io.accord.zk.proto.GetChildrenRequest;
import io.accord.zk.proto.OpCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code accord bench}: a closed-loop (or, with {@code --rate}, open-loop) load generator for any
 * ZooKeeper-compatible server, on Accord's own jute codec and a Netty client. Each session gets its own znode
 * {@code <root>/s<i>}; see {@link BenchOptions#USAGE}.
 *
 * <p>The runner thread connects and sets up, then only samples the per-event-loop recorders once a second
 * (progress line, warm-up/measure boundaries); the event loops do all the I/O.
 */
public final class Bench {
    private static final long CALL_TIMEOUT_MS = 30_000;
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    /** Progress marker printed when the measured window starts (after warm-up); a harness samples CPU there. */
    public static final String MEASURE_START = "measured window starts";
    /** Progress marker printed when the measured window ends. */
    public static final String MEASURE_END = "measured window ends";

    /** The bench could not run: unreachable server, refused session, setup request failed. */
    public static final class BenchException extends Exception {
        private static final long serialVersionUID = 1L;

        BenchException(String message) {
            super(message);
        }
    }

    private Bench() {
    }

    /** {@code accord bench [options]}: returns the exit code (2 bad arguments, 1 could not run or sessions lost). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            err.println("accord bench: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return 2;
        }
        BenchResult result;
        try {
            result = execute(options, out);
        } catch (BenchException e) {
            err.println("accord bench: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "ops        %d in %.2f s = %.1f ops/s%n", result.ops(), result.seconds(),
                result.opsPerSec());
        out.printf(Locale.ROOT, "latency    p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                result.p50Ms(), result.p90Ms(), result.p99Ms(), result.p999Ms(), result.maxMs());
        out.println("errors     " + (result.errors().isEmpty() ? "none" : describe(result.errors())));
        if (options.openLoop()) {
            out.printf(Locale.ROOT, "rate       target %.1f/s, achieved %.1f/s (scheduled requests sent), %d sent "
                            + "more than %.0f ms late; latency counts from the scheduled time%n", options.rate(),
                    result.rateAchieved(), result.sentLate(), BenchResult.LATE_MS);
        }
        if (options.watch()) {
            out.printf(Locale.ROOT, "watches    %d events, %d expected%n", result.watchEvents(),
                    result.watchEventsExpected());
        }
        out.println(result.resultLine());
        Long failed = result.errors().get("FAILED");
        if (failed != null) {
            err.println("accord bench: " + failed + " session(s) lost their connection during the run");
            return 1;
        }
        return 0;
    }

    private static String describe(Map<String, Long> errors) {
        StringBuilder s = new StringBuilder();
        errors.forEach((name, count) -> {
            if (s.length() > 0) {
                s.append(", ");
            }
            Code code = codeNamed(name);
            s.append(name).append(code == null ? "" : " (" + code.value() + ")").append(' ').append(count);
        });
        return s.toString();
    }

    private static Code codeNamed(String name) {
        for (Code c : Code.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Runs the bench; progress lines (if enabled) go to {@code out}. */
    public static BenchResult execute(BenchOptions o, PrintStream out) throws BenchException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends Channel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads(),
                new DefaultThreadFactory("accord-bench", true), factory);
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        LoopStats[] stats = new LoopStats[loops.size()];
        Arrays.setAll(stats, i -> new LoopStats());
        BenchSession[] sessions = new BenchSession[o.clients()];
        List<Channel> channels = new ArrayList<>();
        try {
            if (o.progress()) {
                out.printf(Locale.ROOT, "accord bench: workload %s, %d sessions x window %d over %d server(s), %d "
                                + "event loops (%s), %d-byte values, %.1f s after %.1f s warm-up%s%n",
                        o.workload().label(), o.clients(), o.window(), o.servers().size(), loops.size(),
                        epoll ? "epoll" : "nio", o.valueSize(), o.durationMs() / 1000.0, o.warmupMs() / 1000.0,
                        o.openLoop() ? String.format(Locale.ROOT, ", open loop at %.1f requests/s", o.rate()) : "");
            }
            connect(o, loops, stats, sessions, channels, channelType);
            boolean createdRoot = setUp(o, sessions);
            Measured measured = measure(o, sessions, stats, out);
            for (BenchSession s : sessions) {
                s.stop();
            }
            for (BenchSession s : sessions) {
                try {
                    s.drained.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // counted as FAILED by the session, or reported below as not drained
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted");
                }
            }
            List<Long> writes = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            long watchEvents = 0;
            long watchEventsExpected = 0;
            for (BenchSession s : sessions) {
                writes.add(s.writesOk());
                paths.add(s.path);
                watchEvents += s.watchEvents();
                watchEventsExpected += s.watchEventsExpected();
            }
            if (!o.keep()) {
                cleanUp(o, sessions, createdRoot);
            }
            Histogram h = measured.histogram;
            Map<String, Long> errors = errors(stats);
            if (watchEventsExpected > watchEvents) {
                errors.put("WATCH_MISSED", watchEventsExpected - watchEvents);
            }
            return new BenchResult(o, h.getTotalCount(), measured.seconds, ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), errors, paths, writes, watchEvents, watchEventsExpected,
                    measured.scheduledSent, measured.sentLate);
        } finally {
            for (BenchSession s : sessions) {
                if (s != null && s.failure() == null && s.handshake.isDone()) {
                    try {
                        s.call(OpCode.CLOSE_SESSION, b -> { }).get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // closing is best effort: the session expires on the server anyway
                    }
                }
            }
            for (Channel c : channels) {
                c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private static double ms(long us) {
        return us / 1000.0;
    }

    private static void connect(BenchOptions o, List<EventLoop> loops, LoopStats[] stats, BenchSession[] sessions,
                                List<Channel> channels, Class<? extends Channel> channelType) throws BenchException {
        List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < sessions.length; i++) {
            int loop = i % loops.size();
            sessions[i] = new BenchSession(i, o, stats[loop]);
            InetSocketAddress server = o.servers().get(i % o.servers().size());
            ChannelFuture f = new Bootstrap().group(loops.get(loop)).channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(sessions[i])
                    .connect(server);
            channels.add(f.channel());
            connects.add(f);
        }
        for (int i = 0; i < sessions.length; i++) {
            ChannelFuture f = connects.get(i);
            f.awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new BenchException("cannot connect to " + name(o, i) + ": " + message(f.cause()));
            }
        }
        for (int i = 0; i < sessions.length; i++) {
            try {
                sessions[i].handshake.get(HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new BenchException("no session from " + name(o, i) + ": " + message(e.getCause()));
            } catch (TimeoutException e) {
                throw new BenchException("no session from " + name(o, i) + " within " + HANDSHAKE_TIMEOUT_MS
                        + " ms (is it a ZooKeeper server?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted");
            }
        }
    }

    private static String name(BenchOptions o, int session) {
        InetSocketAddress a = o.servers().get(session % o.servers().size());
        return a.getHostString() + ":" + a.getPort();
    }

    private static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Creates the root (and missing ancestors) and a fresh znode per session; true if the root was created. */
    private static boolean setUp(BenchOptions o, BenchSession[] sessions) throws BenchException {
        boolean created = false;
        String root = o.root();
        for (int at = root.indexOf('/', 1); ; at = root.indexOf('/', at + 1)) {
            String p = at < 0 ? root : root.substring(0, at);
            int err = await(sessions[0].call(OpCode.CREATE, create(p)), "create " + p).err();
            if (err != 0 && err != Code.NODEEXISTS.value()) {
                throw new BenchException("create " + p + " failed: " + codeName(err));
            }
            created = err == 0;
            if (at < 0) {
                break;
            }
        }
        removeSessionNodes(sessions);
        List<CompletableFuture<Reply>> creates = new ArrayList<>();
        for (BenchSession s : sessions) {
            creates.add(s.call(OpCode.CREATE, create(s.path)));
        }
        for (int i = 0; i < sessions.length; i++) {
            int err = await(creates.get(i), "create " + sessions[i].path).err();
            if (err != 0) {
                throw new BenchException("create " + sessions[i].path + " failed: " + codeName(err));
            }
        }
        return created;
    }

    /** Deletes each session's znode and its children, if there. */
    private static void removeSessionNodes(BenchSession[] sessions) throws BenchException {
        List<CompletableFuture<Reply>> lists = new ArrayList<>();
        for (BenchSession s : sessions) {
            lists.add(s.call(OpCode.GET_CHILDREN, b -> new GetChildrenRequest(s.path, false).write(b)));
        }
        for (int i = 0; i < sessions.length; i++) {
            BenchSession s = sessions[i];
            Reply r = await(lists.get(i), "getChildren " + s.path);
            if (r.err() == Code.NONODE.value()) {
                continue;
            }
            if (r.err() != 0) {
                throw new BenchException("getChildren " + s.path + " failed: " + codeName(r.err()));
            }
            JuteInput in = r.input();
            List<String> children = in.readStringList();
            for (String child : children) {
                delete(s, s.path + "/" + child);
            }
            delete(s, s.path);
        }
    }

    private static void delete(BenchSession s, String path) throws BenchException {
        int err = await(s.call(OpCode.DELETE, b -> new DeleteRequest(path, -1).write(b)), "delete " + path).err();
        if (err != 0 && err != Code.NONODE.value()) {
            throw new BenchException("delete " + path + " failed: " + codeName(err));
        }
    }

    private static void cleanUp(BenchOptions o, BenchSession[] sessions, boolean createdRoot) throws BenchException {
        List<BenchSession> alive = new ArrayList<>();
        for (BenchSession s : sessions) {
            if (s.failure() == null) {
                alive.add(s);
            }
        }
        removeSessionNodes(alive.toArray(new BenchSession[0]));
        if (createdRoot && alive.size() == sessions.length) {
            int err = await(sessions[0].call(OpCode.DELETE, b -> new DeleteRequest(o.root(), -1).write(b)),
                    "delete " + o.root()).err();
            if (err != 0 && err != Code.NOTEMPTY.value() && err != Code.NONODE.value()) {
                throw new BenchException("delete " + o.root() + " failed: " + codeName(err));
            }
        }
    }

    private static java.util.function.Consumer<io.netty.buffer.ByteBuf> create(String path) {
        return b -> new CreateRequest(path, new byte[0], Acl.OPEN_ACL_UNSAFE, 0).write(b);
    }

    private static Reply await(CompletableFuture<Reply> f, String what) throws BenchException {
        try {
            return f.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new BenchException(what + " failed: " + message(e.getCause()));
        } catch (TimeoutException e) {
            throw new BenchException(what + ": no reply within " + CALL_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    static String codeName(int err) {
        Code code = Code.of(err);
        return code == null ? "error " + err : code.name() + " (" + err + ")";
    }

    /** The measured window: latencies, length, and (open loop) scheduled requests sent and sent late in it. */
    private record Measured(Histogram histogram, double seconds, long scheduledSent, long sentLate) {
    }

    /** Open loop: the first scheduled request is due this long after the runner starts the sessions. */
    private static final long SCHEDULE_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Starts the load, samples it once a second through warm-up and the measured window; returns the window. */
    private static Measured measure(BenchOptions o, BenchSession[] sessions, LoopStats[] stats, PrintStream out)
            throws BenchException {
        Histogram phase = new Histogram(LoopStats.HIGHEST_US, 3);
        Histogram interval = new Histogram(LoopStats.HIGHEST_US, 3);
        long scheduleStart = System.nanoTime() + SCHEDULE_LEAD_NANOS;
        for (BenchSession s : sessions) {
            s.start(scheduleStart);
        }
        long t0 = System.nanoTime();
        long measureFrom = t0 + TimeUnit.MILLISECONDS.toNanos(o.warmupMs());
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(o.durationMs());
        boolean measuring = o.warmupMs() == 0;
        if (measuring && o.progress()) {
            out.printf(Locale.ROOT, "[%6.1f s] %s%n", 0.0, MEASURE_START);
        }
        long measuredStart = t0;
        long sentAtStart = 0;
        long lateAtStart = 0;
        long lastTick = t0;
        long sinceTick = 0; // replies since the last progress line (the loop also wakes at the window's ends)
        long nextTick = t0 + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            long wakeAt = Math.min(nextTick, measuring ? end : measureFrom);
            long wait = wakeAt - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted");
                }
            }
            long now = System.nanoTime();
            interval.reset();
            for (LoopStats st : stats) {
                st.drainInto(interval);
            }
            phase.add(interval);
            sinceTick += interval.getTotalCount();
            if (now >= nextTick) {
                if (o.progress()) {
                    double secs = (now - lastTick) / 1e9;
                    out.printf(Locale.ROOT, "[%6.1f s] %-8s %10.0f ops/s  p99 %8.3f ms  errors %d%s%n",
                            (now - t0) / 1e9, measuring ? "measure" : "warm-up", sinceTick / secs,
                            ms(phase.getValueAtPercentile(99)), errorTotal(stats),
                            o.openLoop() ? "  sent late " + sum(stats, LoopStats::sentLate) : "");
                }
                lastTick = now;
                nextTick += TimeUnit.SECONDS.toNanos(1);
                sinceTick = 0;
            }
            boolean ended = measuring && now >= end;
            if (!measuring && now >= measureFrom) {
                measuring = true;
                measuredStart = now;
                sentAtStart = sum(stats, LoopStats::scheduledSent);
                lateAtStart = sum(stats, LoopStats::sentLate);
                phase.reset();
                if (o.progress()) {
                    out.printf(Locale.ROOT, "[%6.1f s] %s%n", (now - t0) / 1e9, MEASURE_START);
                }
            } else if (ended && o.progress()) {
                out.printf(Locale.ROOT, "[%6.1f s] %s%n", (now - t0) / 1e9, MEASURE_END);
            }
            if (ended || allFailed(sessions)) {
                return new Measured(phase, (now - measuredStart) / 1e9, sum(stats, LoopStats::scheduledSent)
                        - sentAtStart, sum(stats, LoopStats::sentLate) - lateAtStart);
            }
        }
    }

    private static long sum(LoopStats[] stats, ToLongFunction<LoopStats> counter) {
        long n = 0;
        for (LoopStats st : stats) {
            n += counter.applyAsLong(st);
        }
        return n;
    }

    private static boolean allFailed(BenchSession[] sessions) {
        for (BenchSession s : sessions) {
            if (s.failure() == null) {
                return false;
            }
        }
        return true;
    }

    private static long errorTotal(LoopStats[] stats) {
        long n = 0;
        for (LoopStats st : stats) {
            for (int slot = 1; slot <= LoopStats.FAILURE_SLOT; slot++) {
                n += st.errors(slot);
            }
        }
        return n;
    }

    private static Map<String, Long> errors(LoopStats[] stats) {
        Map<String, Long> errors = new LinkedHashMap<>();
        for (int slot = 1; slot <= LoopStats.FAILURE_SLOT; slot++) {
            long n = 0;
            for (LoopStats st : stats) {
                n += st.errors(slot);
            }
            if (n > 0) {
                Code code = slot < LoopStats.FAILURE_SLOT ? Code.of(-slot) : null;
                errors.put(slot == LoopStats.FAILURE_SLOT ? "FAILED" : code != null ? code.name() : "ERR" + -slot, n);
            }
        }
        return errors;
    }
}
