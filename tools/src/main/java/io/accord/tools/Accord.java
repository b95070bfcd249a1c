package io.accord.tools;

import io.accord.tools.config.ConfigException;
import io.accord.tools.config.ServerConfig;
import io.accord.tools.config.ZooCfg;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code accord} command. */
public final class Accord {
    private static final Logger LOG = LoggerFactory.getLogger(Accord.class);

    static final String USAGE = """
            usage: accord <command> [arguments]

            commands:
              server [zoo.cfg]   run one Accord node. Without a zoo.cfg: a single node serving
                                 ZooKeeper clients on 127.0.0.1:2181, data in ./accord-data.
                                 With a zoo.cfg: the ports, directories and servers it names.
              ensemble [options] run a local cluster for trying Accord: one process per member,
                                 Ctrl-C stops them all.
                  --nodes N        members, 1..9 (default 3)
                  --memory         accord.mode=memory (default: persistent)
                  --client-port C  client ports C, C+1, ... (default 2181)
                  --base-port P    quorum ports P, P+5, ...; each member uses 5 Aeron ports
                                   from its quorum port (default 2888)
                  --admin-port A   AdminServer ports A, A+1, ... (default 8080; 0 = any free)
                  --dir D          zoo.cfg, data and logs of member N in D/nodeN
                                   (default ./accord-ensemble)
              status <connect>   a table of the servers of a connect string such as
                                 127.0.0.1:2181,127.0.0.1:2182 (from srvr, and mntr when
                                 whitelisted); exit code 1 if any does not answer
              bench [options]    load any ZooKeeper-compatible server and measure throughput and
                                 latency (accord bench --help lists the options)
              help               print this text
            """;

    private Accord() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the process exit code (blocks while a server runs). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "server":
                return server(rest, err);
            case "ensemble":
                return Ensemble.run(rest, out, err);
            case "status":
                return Status.run(rest, out, err);
            case "bench":
                return io.accord.tools.bench.Bench.run(rest, out, err);
            default:
                break;
        }
        err.println("accord: unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }

    private static int server(String[] args, PrintStream err) {
        if (args.length > 1) {
            err.println("accord server: expected at most one argument, the path of a zoo.cfg");
            return 2;
        }
        ServerConfig config;
        try {
            config = args.length == 0 ? ZooCfg.defaults() : ZooCfg.load(Path.of(args[0]), LOG::warn);
        } catch (ConfigException e) {
            err.println("accord server: " + e.getMessage());
            return 1;
        }
        AccordServer server;
        try {
            server = AccordServer.start(config);
        } catch (RuntimeException e) {
            err.println("accord server: could not start: " + describe(e));
            LOG.debug("start failed", e);
            return 1;
        }
        if (!config.ensemble() && !server.awaitServing(java.time.Duration.ofSeconds(60))) {
            err.println("accord server: the node did not start serving within 60 s; see the log for why");
            server.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: closing client connections (their sessions stay alive) and leaving");
            server.close();
            stopped.countDown();
        }, "accord-shutdown"));
        LOG.info("Accord {} serving ZooKeeper clients on {} (node {}, {} mode, data in {})",
                config.ensemble() ? "member" : "node", server.connectString(), config.myId(),
                config.memoryMode() ? "memory" : "persistent", config.dataDir().toAbsolutePath());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof java.net.BindException) {
            return msg + " (is another server using the client port? set clientPort in a zoo.cfg)";
        }
        return msg;
    }
}
