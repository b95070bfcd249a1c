package io.accord.tools.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of one {@code accord bench} run.
 *
 * @param servers        the servers of the connect string; session i connects to server i mod n
 * @param workload       what each request does
 * @param clients        sessions
 * @param window         requests each session keeps outstanding
 * @param durationMs     measured time
 * @param warmupMs       time before measuring
 * @param valueSize      bytes written by setData
 * @param readPct        the share of getData in {@link Workload#MIXED}, 0..100
 * @param root           parent znode of the sessions' znodes (created if missing)
 * @param threads        Netty event loops
 * @param keep           leave the znodes in place at the end (for checking them)
 * @param sessionTimeoutMs requested session timeout
 * @param progress       print a progress line every second
 * @param watch          getData leaves a data watch on the session's znode; the events are counted and checked
 * @param rate           requests per second over all sessions, sent on a fixed schedule (open loop); 0 = closed
 *                       loop, each reply sends the next request
 */
public record BenchOptions(List<InetSocketAddress> servers, Workload workload, int clients, int window,
                           long durationMs, long warmupMs, int valueSize, int readPct, String root, int threads,
                           boolean keep, int sessionTimeoutMs, boolean progress, boolean watch, double rate) {

    public static final String DEFAULT_CONNECT = "127.0.0.1:2181";
    public static final String DEFAULT_ROOT = "/accord-bench";
    /** The largest value; ZooKeeper's default jute.maxbuffer is just under 1 MiB. */
    static final int MAX_VALUE_SIZE = 1 << 19;
    static final int MAX_WINDOW = 1 << 16;
    static final int MAX_CLIENTS = 10_000;
    /** The highest --rate per session: one request a microsecond (the schedule's tick is kept at 1 us or more). */
    static final double MAX_RATE_PER_SESSION = 1_000_000;

    static final String USAGE = """
            usage: accord bench [options]
              a load generator for any ZooKeeper-compatible server. Closed loop (default): each session keeps
              --window requests outstanding and sends the next one when a reply arrives. Open loop (--rate):
              each session sends on a fixed schedule while it has fewer than --window outstanding
              --connect H:P,...  servers; sessions are spread over them round-robin (default 127.0.0.1:2181)
              --workload W       set (setData), create (create sequential, then delete it: two requests),
                                 get (getData), mixed (getData or setData, see --read-pct),
                                 multi (check + setData) (default set)
              --clients N        sessions (default 16)
              --window N         outstanding requests per session; 1 = synchronous (default 100)
              --duration S       measured seconds (default 10; fractions allowed)
              --warmup S         seconds before measuring (default 2)
              --value-size B     bytes per setData (default 8)
              --read-pct P       getData share of mixed, 0..100 (default 90)
              --root PATH        parent znode of the sessions' znodes s0, s1, ...; created if missing and
                                 removed at the end if created (default /accord-bench)
              --threads N        client event loops (default: min(cores, clients))
              --rate R           open loop: R requests/s in all, spread evenly over the sessions; each
                                 session sends on a fixed, evenly spaced schedule (sessions phase-shifted so
                                 they do not fire together) as long as it has fewer than --window outstanding;
                                 a request that could not go out on time goes out as soon as the window
                                 allows. Latency counts from the scheduled send time, so waiting is included;
                                 reports the achieved rate (scheduled requests sent per second) and the
                                 requests sent more than 1 ms behind schedule (create: the rate counts the
                                 creates, each delete follows its create's reply)
              --watch            getData leaves a data watch on the session's znode (get, mixed): every
                                 setData after one must bring exactly one NodeDataChanged event, before
                                 its reply; a missing event counts as error WATCH_MISSED
              --keep             leave the znodes in place at the end
              --quiet            no progress lines
              ops counts completed requests; errors are counted per ZooKeeper error code over the whole
              run. The last line is machine-readable: RESULT key=value ...
            """;

    /** A bad command line. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public BenchOptions {
        servers = List.copyOf(servers);
    }

    /** Parses the arguments after {@code bench}. */
    public static BenchOptions parse(String[] args) {
        String connect = DEFAULT_CONNECT;
        Workload workload = Workload.SET;
        int clients = 16;
        int window = 100;
        double duration = 10;
        double warmup = 2;
        int valueSize = 8;
        int readPct = 90;
        String root = DEFAULT_ROOT;
        Integer threads = null;
        boolean keep = false;
        boolean progress = true;
        boolean watch = false;
        double rate = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--keep" -> keep = true;
                case "--quiet" -> progress = false;
                case "--watch" -> watch = true;
                case "--connect", "--workload", "--clients", "--window", "--duration", "--warmup", "--value-size",
                     "--read-pct", "--root", "--threads", "--rate" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException(arg + " needs a value");
                    }
                    String v = args[++i];
                    switch (arg) {
                        case "--connect" -> connect = v;
                        case "--workload" -> {
                            workload = Workload.of(v);
                            if (workload == null) {
                                throw new UsageException("--workload: '" + v
                                        + "' (expected: set, create, get, mixed or multi)");
                            }
                        }
                        case "--clients" -> clients = intIn(arg, v, 1, MAX_CLIENTS);
                        case "--window" -> window = intIn(arg, v, 1, MAX_WINDOW);
                        case "--duration" -> duration = seconds(arg, v, 0.1);
                        case "--warmup" -> warmup = seconds(arg, v, 0);
                        case "--value-size" -> valueSize = intIn(arg, v, 0, MAX_VALUE_SIZE);
                        case "--read-pct" -> readPct = intIn(arg, v, 0, 100);
                        case "--root" -> root = root(v);
                        case "--rate" -> rate = rate(v);
                        default -> threads = intIn(arg, v, 1, 1024);
                    }
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (rate / clients > MAX_RATE_PER_SESSION) {
            throw new UsageException(String.format(Locale.ROOT, "--rate: %s is more than %.0f requests/s per "
                    + "session with %d sessions (raise --clients)", number(rate), MAX_RATE_PER_SESSION, clients));
        }
        int loops = threads != null ? threads : Math.min(Runtime.getRuntime().availableProcessors(), clients);
        return new BenchOptions(servers(connect), workload, clients, window, Math.round(duration * 1000),
                Math.round(warmup * 1000), valueSize, readPct, root, Math.min(loops, clients), keep, 30_000,
                progress, watch, rate);
    }

    /** Open loop: requests go out on a schedule of {@link #rate} per second. */
    public boolean openLoop() {
        return rate > 0;
    }

    private static double rate(String v) {
        double r;
        try {
            r = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--rate: '" + v + "' is not a number of requests per second");
        }
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new UsageException("--rate: " + v.trim() + " (expected: a positive number of requests per second)");
        }
        return r;
    }

    /** A rate as typed: no trailing ".0". */
    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** The servers of a ZooKeeper connect string {@code host[:port],...} (port 2181 when absent). */
    static List<InetSocketAddress> servers(String connect) {
        if (connect.isBlank()) {
            throw new UsageException("--connect: empty (expected: host:port[,host:port...])");
        }
        if (connect.indexOf('/') >= 0) {
            throw new UsageException("--connect: '" + connect + "' has a chroot suffix; use --root instead");
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String part : connect.split(",", -1)) {
            String s = part.trim();
            String host;
            String port = "2181";
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new UsageException("--connect: '" + s + "' (expected: [ipv6]:port)");
                }
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') {
                        throw new UsageException("--connect: '" + s + "' (expected: [ipv6]:port)");
                    }
                    port = s.substring(close + 2);
                }
            } else {
                int colon = s.lastIndexOf(':');
                host = colon < 0 ? s : s.substring(0, colon);
                if (colon >= 0) {
                    port = s.substring(colon + 1);
                }
            }
            if (host.isEmpty()) {
                throw new UsageException("--connect: '" + part + "' has no host (expected: host:port[,host:port...])");
            }
            servers.add(InetSocketAddress.createUnresolved(host, intIn("--connect port", port, 1, 65535)));
        }
        return servers;
    }

    private static String root(String v) {
        if (!v.startsWith("/") || v.equals("/") || v.endsWith("/") || v.contains("//")) {
            throw new UsageException("--root: '" + v + "' (expected: an absolute znode path such as /accord-bench)");
        }
        return v;
    }

    private static int intIn(String what, String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + v + "' is not a number");
        }
        if (n < min || n > max) {
            throw new UsageException(what + ": " + n + " (expected: " + min + ".." + max + ")");
        }
        return n;
    }

    private static double seconds(String what, String v, double min) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + v + "' is not a number of seconds");
        }
        if (!(d >= min) || d > 86_400) {
            throw new UsageException(String.format(Locale.ROOT, "%s: %s (expected: %s..86400 seconds)", what, v,
                    min == 0 ? "0" : Double.toString(min)));
        }
        return d;
    }
}
