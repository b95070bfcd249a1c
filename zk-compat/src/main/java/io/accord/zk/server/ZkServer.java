package io.accord.zk.server;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.jmx.ObjectNameFactory;
import io.accord.core.port.ReplicationPort;
import io.accord.core.txn.ApplyListener;
import io.accord.zk.codec.ConnectRequestDecoder;
import io.accord.zk.codec.FourLetterWord;
import io.accord.zk.codec.FourLetterWordDecoder;
import io.accord.zk.codec.FrameDecoder;
import io.accord.zk.codec.ServerFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper 3.9 client port of one Accord node: a Netty server speaking jute that serves reads from the
 * port's local replica and sends writes through the {@link ReplicationPort}.
 *
 * <pre>{@code
 * ReplicationPort port = LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, 1000);
 * try (ZkServer server = ZkServer.launch(new ZkServer.Context()
 *         .replicationPort(port).port(2181).tickTimeMs(2000).closePortOnClose(true))) {
 *     ...
 * }
 * }</pre>
 *
 * {@link #launch} registers the server as the port's apply listener and starts the port. Pipeline per
 * connection: four-letter-word detection (removes itself), frame decoder ({@code jute.maxbuffer}), connect decoder
 * (replaces itself with the request decoder), the shared encoder, and the {@link Connection}.
 */
public final class ZkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZkServer.class);

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Context context;
    private final ServerNode node;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    /** The TLS client port ({@code secureClientPort}), or null. */
    private final Channel secureChannel;
    private final ScheduledFuture<?> touchTask;
    private final AdminServer adminServer;
    private final JmxReporter jmxReporter;

    private ZkServer(Context context) {
        this.context = context;
        this.node = new ServerNode(context);
        ReplicationPort port = context.replicationPort();
        port.listener(node);
        port.start();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, factory);
        workerGroup = new MultiThreadIoEventLoopGroup(context.ioThreads(), factory);
        Channel plain = null;
        try {
            TlsSettings.Engines tls = context.secureClientPort() < 0 ? null : context.tls().engines();
            plain = bind(channelClass, context.bindAddress(), context.port(), null);
            secureChannel = context.secureClientPort() < 0 ? null
                    : bind(channelClass, context.secureBindAddress(), context.secureClientPort(), tls);
        } catch (Throwable e) { // bind() also throws a checked BindException, undeclared
            if (plain != null) {
                plain.close().syncUninterruptibly();
            }
            shutdownGroups();
            releasePort();
            node.unregisterGauges();
            throw e;
        }
        serverChannel = plain;
        node.boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        node.boundSecurePort = securePort();
        adminServer = context.adminEnableServer()
                ? AdminServer.start(node, bossGroup, workerGroup, channelClass) : null;
        jmxReporter = context.jmxEnabled() ? startJmx(context, node.nodeId) : null;
        long touchMs = Math.max(1, context.tickTimeMs() / 2);
        touchTask = workerGroup.next().scheduleWithFixedDelay(node::flushTouches, touchMs, touchMs,
                TimeUnit.MILLISECONDS);
        LOG.info("ZooKeeper client port listening on {}{} (node {}, {}, {} I/O thread{})", serverChannel.localAddress(),
                secureChannel == null ? "" : ", TLS on " + secureChannel.localAddress(), node.nodeId,
                epoll ? "epoll" : "nio", context.ioThreads(), context.ioThreads() == 1 ? "" : "s");
    }

    /**
     * Binds a client port. Pipeline: [TLS], traffic counter, four-letter words, frames, ConnectRequest, encoder,
     * the connection.
     */
    private Channel bind(Class<? extends ServerChannel> channelClass, String address, int port,
                         TlsSettings.Engines tls) {
        int maxFrame = context.maxFrameLength();
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", new SslHandler(tls.newEngine()));
                        }
                        ch.pipeline()
                                .addLast("traffic", node.trafficCounter)
                                .addLast("4lw", new FourLetterWordDecoder())
                                .addLast("frame", new FrameDecoder(maxFrame))
                                .addLast("connect", new ConnectRequestDecoder(maxFrame))
                                .addLast("encoder", ServerFrameEncoder.INSTANCE)
                                .addLast("connection", new Connection(node));
                    }
                })
                .bind(new InetSocketAddress(address, port))
                .syncUninterruptibly()
                .channel();
    }

    /** Validates the context ({@link Context#conclude()}) and starts serving. */
    public static ZkServer launch(Context context) {
        return new ZkServer(context.conclude());
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The bound TLS client port, or -1 when there is none ({@code secureClientPort} not set). */
    public int securePort() {
        return secureChannel == null ? -1 : ((InetSocketAddress) secureChannel.localAddress()).getPort();
    }

    /** The event loops serving client connections (the concluded {@link Context#ioThreads}). */
    public int ioThreadCount() {
        int loops = 0;
        for (var ignored : workerGroup) {
            loops++;
        }
        return loops;
    }

    public Context context() {
        return context;
    }

    /** The shared state of the client port (for tests in this package). */
    ServerNode node() {
        return node;
    }

    /**
     * The node's Dropwizard registry ({@link Context#metricRegistry}): the gauges, counters and timers named in
     * {@link ZkMetrics}, reported over JMX, {@code GET /metrics} and {@code mntr}. Other layers (the cluster's log
     * commit position, apply lag, snapshot timings, leader changes, Aeron errors) register theirs here too, under
     * their own prefix; they show up in JMX and Prometheus with no further wiring.
     */
    public MetricRegistry metrics() {
        return context.metricRegistry();
    }

    /** Where the AdminServer listens, or null if it is off ({@code admin.enableServer=false}) or could not bind. */
    public InetSocketAddress adminAddress() {
        return adminServer == null ? null : adminServer.localAddress();
    }

    /**
     * JMX names: {@code <domain>:node=<node id>,name=<metric name>}, so several nodes in one JVM (a test ensemble)
     * do not collide.
     */
    private static JmxReporter startJmx(Context context, int nodeId) {
        ObjectNameFactory names = (type, domain, name) -> {
            try {
                boolean plain = name.chars().noneMatch(ch -> ",=:\"*?\n".indexOf(ch) >= 0);
                return new ObjectName(domain, new Hashtable<>(Map.of(
                        "node", Integer.toString(nodeId), "name", plain ? name : ObjectName.quote(name))));
            } catch (MalformedObjectNameException e) {
                throw new IllegalArgumentException("metric name " + name + " is not a valid JMX name", e);
            }
        };
        JmxReporter reporter = JmxReporter.forRegistry(context.metricRegistry()).inDomain(context.jmxDomain())
                .createsObjectNamesWith(names).convertDurationsTo(TimeUnit.MILLISECONDS).build();
        reporter.start();
        return reporter;
    }

    /** Answers a four-letter word without a socket (what {@code srvr}, {@code mntr}, ... would print). */
    public String fourLetterWord(String word) {
        return node.fourLetterWords().render(new FourLetterWord(word, 0));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // closing twice (e.g. a shutdown hook after an explicit close) is harmless
        }
        touchTask.cancel(false);
        if (adminServer != null) {
            adminServer.close();
        }
        if (jmxReporter != null) {
            jmxReporter.stop();
        }
        serverChannel.close().syncUninterruptibly();
        if (secureChannel != null) {
            secureChannel.close().syncUninterruptibly();
        }
        node.connections.forEach(Connection::closeAfterQueued);
        shutdownGroups();
        releasePort();
        node.unregisterGauges();
    }

    private void releasePort() {
        if (context.closePortOnClose()) {
            context.replicationPort().close();
        } else {
            context.replicationPort().listener(ApplyListener.NONE);
        }
    }

    private void shutdownGroups() {
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Defaults, as ZooKeeper 3.9 has them. */
    public static final class Configuration {
        public static final String BIND_ADDRESS = "0.0.0.0";
        public static final int PORT = 2181;
        /** ZooKeeper uses 3000 when zoo.cfg has no tickTime (its sample config says 2000). */
        public static final int TICK_TIME_MS = 3000;
        public static final int MAX_CLIENT_CNXNS = 60;
        /** {@code globalOutstandingLimit}: requests in flight over the node before busy connections stop reading. */
        public static final int GLOBAL_OUTSTANDING_LIMIT = 1000;
        /** Requests in flight on one connection before it stops reading (Accord's own bound). */
        public static final int MAX_OUTSTANDING_PER_CONNECTION = 1000;
        public static final String FOUR_LETTER_WORD_WHITELIST = "srvr";
        /** {@code jute.maxbuffer}. */
        public static final int MAX_FRAME_LENGTH = 0xfffff;
        /** ZooKeeper's {@code zookeeper.nio.sessionlessCnxnTimeout}. */
        public static final int HANDSHAKE_TIMEOUT_MS = 10_000;
        /** {@code admin.enableServer}. */
        public static final boolean ADMIN_ENABLE_SERVER = true;
        /** {@code admin.serverAddress}. */
        public static final String ADMIN_SERVER_ADDRESS = "0.0.0.0";
        /** {@code admin.serverPort}. */
        public static final int ADMIN_SERVER_PORT = 8080;
        /** {@code admin.commandURL}. */
        public static final String ADMIN_COMMAND_URL = "/commands";
        /** {@code admin.idleTimeout}. */
        public static final int ADMIN_IDLE_TIMEOUT_MS = 30_000;
        public static final boolean JMX_ENABLED = true;
        public static final String JMX_DOMAIN = "io.accord";

        private Configuration() {
        }
    }

    /**
     * Settings of a {@link ZkServer}. Setters return {@code this}; {@link #conclude()} fills defaults that depend
     * on other fields and checks cross-field rules, once.
     */
    public static final class Context {
        private ReplicationPort replicationPort;
        private String bindAddress = Configuration.BIND_ADDRESS;
        private int port = Configuration.PORT;
        private int secureClientPort = -1;
        private String secureBindAddress;
        private TlsSettings tls;
        private int tickTimeMs = Configuration.TICK_TIME_MS;
        private int minSessionTimeoutMs = -1;
        private int maxSessionTimeoutMs = -1;
        private int maxClientCnxns = Configuration.MAX_CLIENT_CNXNS;
        private int globalOutstandingLimit = Configuration.GLOBAL_OUTSTANDING_LIMIT;
        private int maxOutstandingPerConnection = Configuration.MAX_OUTSTANDING_PER_CONNECTION;
        private String fourLetterWordWhitelist = Configuration.FOUR_LETTER_WORD_WHITELIST;
        private Set<String> fourLetterWords;
        private int maxFrameLength = Configuration.MAX_FRAME_LENGTH;
        private String superDigest;
        private MetricRegistry metricRegistry;
        private int ioThreads;
        private ServerRole role = ServerRole.STANDALONE;
        private boolean adminEnableServer = Configuration.ADMIN_ENABLE_SERVER;
        private String adminServerAddress = Configuration.ADMIN_SERVER_ADDRESS;
        private int adminServerPort = Configuration.ADMIN_SERVER_PORT;
        private String adminCommandUrl = Configuration.ADMIN_COMMAND_URL;
        private int adminIdleTimeoutMs = Configuration.ADMIN_IDLE_TIMEOUT_MS;
        private boolean jmxEnabled = Configuration.JMX_ENABLED;
        private String jmxDomain = Configuration.JMX_DOMAIN;
        private String dataDir;
        private boolean closePortOnClose;
        private int handshakeTimeoutMs = Configuration.HANDSHAKE_TIMEOUT_MS;
        private boolean concluded;

        /** Required: where writes go and reads come from. */
        public Context replicationPort(ReplicationPort port) {
            this.replicationPort = port;
            return this;
        }

        /** {@code clientPortAddress}; default the wildcard address. */
        public Context bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        /** {@code clientPort}; 0 picks a free port. */
        public Context port(int port) {
            this.port = port;
            return this;
        }

        /** {@code secureClientPort}: a TLS client port beside the plain one; -1 (default) = none, 0 = a free port. */
        public Context secureClientPort(int port) {
            this.secureClientPort = port;
            return this;
        }

        /** {@code secureClientPortAddress}; default the plain port's address. */
        public Context secureBindAddress(String address) {
            this.secureBindAddress = address;
            return this;
        }

        /** The {@code ssl.*} settings of the TLS port; required with {@link #secureClientPort}. */
        public Context tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Context tickTimeMs(int tickTimeMs) {
            this.tickTimeMs = tickTimeMs;
            return this;
        }

        /** Default 2 × tickTime; -1 = default. */
        public Context minSessionTimeoutMs(int ms) {
            this.minSessionTimeoutMs = ms;
            return this;
        }

        /** Default 20 × tickTime; -1 = default. */
        public Context maxSessionTimeoutMs(int ms) {
            this.maxSessionTimeoutMs = ms;
            return this;
        }

        /** Connections per client IP; 0 = unlimited. */
        public Context maxClientCnxns(int max) {
            this.maxClientCnxns = max;
            return this;
        }

        /**
         * {@code globalOutstandingLimit}: when more requests than this are received and not answered over the whole
         * node, connections with requests in flight stop reading until the count is down to half (ZooKeeper's
         * default 1000).
         */
        public Context globalOutstandingLimit(int limit) {
            this.globalOutstandingLimit = limit;
            return this;
        }

        /**
         * Requests received and not answered on one connection before it stops reading, until it is down to half;
         * default 1000.
         */
        public Context maxOutstandingPerConnection(int limit) {
            this.maxOutstandingPerConnection = limit;
            return this;
        }

        /** {@code 4lw.commands.whitelist}: comma-separated words, {@code *} = all; {@code srvr} is always added. */
        public Context fourLetterWordWhitelist(String whitelist) {
            this.fourLetterWordWhitelist = whitelist;
            return this;
        }

        /** {@code jute.maxbuffer}: the largest frame a client may send. */
        public Context maxFrameLength(int bytes) {
            this.maxFrameLength = bytes;
            return this;
        }

        /** {@code zookeeper.DigestAuthenticationProvider.superDigest}: {@code super:<base64 sha1>}, or null. */
        public Context superDigest(String digest) {
            this.superDigest = digest;
            return this;
        }

        public Context metricRegistry(MetricRegistry registry) {
            this.metricRegistry = registry;
            return this;
        }

        /** Netty worker threads; 0 = the number of processors. */
        public Context ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** A fixed role: what {@code srvr} prints as Mode and {@code mntr} as zk_server_state. */
        public Context mode(String mode) {
            this.role = mode == null ? null : ServerRole.fixed(mode);
            return this;
        }

        /**
         * Who reports this node's role ({@code srvr} Mode, {@code mntr} zk_server_state, a leader's follower
         * counts); default {@link ServerRole#STANDALONE}. The cluster layer passes one that follows elections.
         */
        public Context role(ServerRole role) {
            this.role = role;
            return this;
        }

        /** {@code admin.enableServer}: whether to run the HTTP AdminServer (and {@code /metrics}); default true. */
        public Context adminEnableServer(boolean enable) {
            this.adminEnableServer = enable;
            return this;
        }

        /** {@code admin.serverAddress}; default the wildcard address. */
        public Context adminServerAddress(String address) {
            this.adminServerAddress = address;
            return this;
        }

        /** {@code admin.serverPort}; default 8080; 0 picks a free port ({@link ZkServer#adminAddress()}). */
        public Context adminServerPort(int port) {
            this.adminServerPort = port;
            return this;
        }

        /** {@code admin.commandURL}: where the command list is and under which the commands are; default /commands. */
        public Context adminCommandUrl(String url) {
            this.adminCommandUrl = url;
            return this;
        }

        /** {@code admin.idleTimeout}: an idle admin connection is closed after this long; default 30000. */
        public Context adminIdleTimeoutMs(int ms) {
            this.adminIdleTimeoutMs = ms;
            return this;
        }

        /** Whether the metric registry is reported over JMX while the server runs; default true. */
        public Context jmxEnabled(boolean enabled) {
            this.jmxEnabled = enabled;
            return this;
        }

        /** The JMX domain of the metrics; default {@code io.accord}. */
        public Context jmxDomain(String domain) {
            this.jmxDomain = domain;
            return this;
        }

        /** Only reported by {@code conf} and {@code dirs}. */
        public Context dataDir(String dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Whether {@link ZkServer#close()} also closes the port (the context then owns it). */
        public Context closePortOnClose(boolean close) {
            this.closePortOnClose = close;
            return this;
        }

        /** How long a new connection may take to send its ConnectRequest (or four-letter word) before it is closed. */
        public Context handshakeTimeoutMs(int ms) {
            this.handshakeTimeoutMs = ms;
            return this;
        }

        /** Fills defaults and validates; idempotent. */
        public Context conclude() {
            if (concluded) {
                return this;
            }
            Objects.requireNonNull(replicationPort, "replicationPort");
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0...65535)");
            }
            if (secureClientPort < -1 || secureClientPort > 65535) {
                throw new IllegalArgumentException("secureClientPort: " + secureClientPort
                        + " (expected: 0...65535, or -1 for none)");
            }
            if (secureClientPort >= 0 && tls == null) {
                throw new IllegalArgumentException("secureClientPort " + secureClientPort
                        + " needs the TLS settings (ssl.keyStore.location, ...)");
            }
            if (secureBindAddress == null) {
                secureBindAddress = bindAddress;
            }
            if (tickTimeMs <= 0) {
                throw new IllegalArgumentException("tickTimeMs: " + tickTimeMs + " (expected: > 0)");
            }
            if (minSessionTimeoutMs == -1) {
                minSessionTimeoutMs = 2 * tickTimeMs;
            }
            if (maxSessionTimeoutMs == -1) {
                maxSessionTimeoutMs = 20 * tickTimeMs;
            }
            if (minSessionTimeoutMs <= 0) {
                throw new IllegalArgumentException("minSessionTimeoutMs: " + minSessionTimeoutMs
                        + " (expected: > 0, or -1 for 2 x tickTimeMs)");
            }
            if (minSessionTimeoutMs > maxSessionTimeoutMs) {
                throw new IllegalArgumentException("minSessionTimeoutMs: " + minSessionTimeoutMs
                        + " (expected: <= maxSessionTimeoutMs " + maxSessionTimeoutMs + ")");
            }
            if (maxClientCnxns < 0) {
                throw new IllegalArgumentException("maxClientCnxns: " + maxClientCnxns + " (expected: >= 0)");
            }
            if (globalOutstandingLimit <= 0) {
                throw new IllegalArgumentException("globalOutstandingLimit: " + globalOutstandingLimit
                        + " (expected: > 0)");
            }
            if (maxOutstandingPerConnection <= 0) {
                throw new IllegalArgumentException("maxOutstandingPerConnection: " + maxOutstandingPerConnection
                        + " (expected: > 0)");
            }
            if (maxFrameLength <= 0) {
                throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: > 0)");
            }
            if (handshakeTimeoutMs <= 0) {
                throw new IllegalArgumentException("handshakeTimeoutMs: " + handshakeTimeoutMs + " (expected: > 0)");
            }
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
            }
            if (ioThreads == 0) {
                ioThreads = Runtime.getRuntime().availableProcessors();
            }
            if (superDigest != null) {
                int colon = superDigest.indexOf(':');
                boolean valid = colon > 0;
                if (valid) {
                    try {
                        valid = Base64.getDecoder().decode(superDigest.substring(colon + 1)).length == 20;
                    } catch (IllegalArgumentException e) {
                        valid = false;
                    }
                }
                if (!valid) {
                    throw new IllegalArgumentException("superDigest: " + superDigest
                            + " (expected: <user>:<base64 of a 20-byte SHA1>, e.g. super:...)");
                }
            }
            if (fourLetterWordWhitelist == null) {
                fourLetterWordWhitelist = Configuration.FOUR_LETTER_WORD_WHITELIST;
            }
            Set<String> words = Arrays.stream(fourLetterWordWhitelist.split(","))
                    .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            for (String word : words) {
                if (!word.equals("*") && !FourLetterWord.KNOWN.contains(word)) {
                    throw new IllegalArgumentException("fourLetterWordWhitelist: unknown word '" + word + "' in '"
                            + fourLetterWordWhitelist + "' (expected: " + new TreeSet<>(FourLetterWord.KNOWN)
                            + " or *)");
                }
            }
            words.add("srvr");
            fourLetterWords = Set.copyOf(words);
            if (metricRegistry == null) {
                metricRegistry = new MetricRegistry();
            }
            Objects.requireNonNull(role, "role");
            if (adminEnableServer) {
                Objects.requireNonNull(adminServerAddress, "adminServerAddress");
                if (adminServerPort < 0 || adminServerPort > 65535) {
                    throw new IllegalArgumentException("adminServerPort: " + adminServerPort
                            + " (expected: 0...65535)");
                }
                if (adminCommandUrl == null || !adminCommandUrl.startsWith("/") || adminCommandUrl.equals("/")
                        || adminCommandUrl.startsWith("/metrics")) {
                    throw new IllegalArgumentException("adminCommandUrl: " + adminCommandUrl
                            + " (expected: a path such as /commands, not / and not under /metrics)");
                }
                if (adminIdleTimeoutMs <= 0) {
                    throw new IllegalArgumentException("adminIdleTimeoutMs: " + adminIdleTimeoutMs
                            + " (expected: > 0)");
                }
            }
            if (jmxEnabled) {
                try {
                    ObjectName.getInstance(jmxDomain + ":name=x");
                } catch (MalformedObjectNameException | NullPointerException e) {
                    throw new IllegalArgumentException("jmxDomain: " + jmxDomain + " (expected: a JMX domain such as "
                            + Configuration.JMX_DOMAIN + ")");
                }
            }
            concluded = true;
            return this;
        }

        boolean fourLetterWordAllowed(String word) {
            return fourLetterWords.contains("*") || fourLetterWords.contains(word);
        }

        public ReplicationPort replicationPort() {
            return replicationPort;
        }

        public String bindAddress() {
            return bindAddress;
        }

        public int port() {
            return port;
        }

        public int tickTimeMs() {
            return tickTimeMs;
        }

        public int secureClientPort() {
            return secureClientPort;
        }

        public String secureBindAddress() {
            return secureBindAddress;
        }

        public TlsSettings tls() {
            return tls;
        }

        public int minSessionTimeoutMs() {
            return minSessionTimeoutMs;
        }

        public int maxSessionTimeoutMs() {
            return maxSessionTimeoutMs;
        }

        public int maxClientCnxns() {
            return maxClientCnxns;
        }

        public int globalOutstandingLimit() {
            return globalOutstandingLimit;
        }

        public int maxOutstandingPerConnection() {
            return maxOutstandingPerConnection;
        }

        public Set<String> fourLetterWords() {
            return fourLetterWords;
        }

        public int maxFrameLength() {
            return maxFrameLength;
        }

        public String superDigest() {
            return superDigest;
        }

        public MetricRegistry metricRegistry() {
            return metricRegistry;
        }

        public int ioThreads() {
            return ioThreads;
        }

        /** The current role's state name. */
        public String mode() {
            return role.state();
        }

        public ServerRole role() {
            return role;
        }

        public boolean adminEnableServer() {
            return adminEnableServer;
        }

        public String adminServerAddress() {
            return adminServerAddress;
        }

        public int adminServerPort() {
            return adminServerPort;
        }

        public String adminCommandUrl() {
            return adminCommandUrl;
        }

        public int adminIdleTimeoutMs() {
            return adminIdleTimeoutMs;
        }

        public boolean jmxEnabled() {
            return jmxEnabled;
        }

        public String jmxDomain() {
            return jmxDomain;
        }

        public String dataDir() {
            return dataDir;
        }

        public boolean closePortOnClose() {
            return closePortOnClose;
        }

        public int handshakeTimeoutMs() {
            return handshakeTimeoutMs;
        }
    }
}
