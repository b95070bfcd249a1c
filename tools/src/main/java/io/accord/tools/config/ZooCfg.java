package io.accord.tools.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.accord.zk.server.TlsSettings;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a ZooKeeper {@code zoo.cfg} as ZooKeeper 3.9 does (Java properties, values trimmed) into a
 * {@link ServerConfig}: the keys Accord uses with ZooKeeper's meaning and defaults, the keys ZooKeeper has but
 * Accord does not need accepted with one warning line each, and Accord's own {@code accord.*} keys.
 *
 * <p>JVM system properties that ZooKeeper reads ({@code jute.maxbuffer},
 * {@code zookeeper.extendedTypesEnabled}, {@code zookeeper.DigestAuthenticationProvider.superDigest},
 * {@code zookeeper.skipACL}) are honoured too when the file does not set them.
 */
public final class ZooCfg {
    /** What {@code accord server} runs with when given no zoo.cfg. */
    public static final int DEFAULT_TICK_TIME_MS = 2000;
    public static final int DEFAULT_CLIENT_PORT = 2181;
    public static final String DEFAULT_CLIENT_ADDRESS = "127.0.0.1";
    public static final String DEFAULT_DATA_DIR = "accord-data";

    private static final int ZK_TICK_TIME_MS = 3000;
    private static final int DEFAULT_MAX_BUFFER = 0xfffff;

    /** Keys ZooKeeper knows that make no difference to Accord: accepted, with one warning each. */
    private static final Set<String> IGNORED_KEYS = Set.of(
            "electionAlg", "peerType", "standaloneEnabled", "reconfigEnabled", "localSessionsEnabled",
            "localSessionsUpgradingEnabled", "syncEnabled", "quorumListenOnAllIPs", "sslQuorum", "portUnification",
            "sslQuorumReloadCertFiles", "quorum.cnxn.threads.size", "oraclePath", "observerMasterPort",
            "clientPortListenBacklog", "connectToLearnerMasterLimit", "snapCount", "preAllocSize", "forceSync",
            "maxCnxns", "electionPortBindRetry",
            "admin.commandURL", "admin.idleTimeout", "admin.portUnification", "admin.forceHttps",
            "admin.needClientAuth", "admin.httpVersion", "admin.snapshot.enabled", "admin.restore.enabled",
            "readonlymode.enabled",
            "digest.enabled", "snapshot.trust.empty", "audit.enable", "metricsProvider.className",
            "multiAddress.enabled", "multiAddress.reachabilityCheckTimeoutMs",
            "multiAddress.reachabilityCheckEnabled", "txnLogSizeLimitInKb", "enforceQuota");
    private static final String[] IGNORED_PREFIXES = {
        "quorum.auth.", "metricsProvider.", "jvm.pause.", "group.", "weight.", "ssl.", "authProvider.",
        "zookeeper.ssl", "admin.", "sasl"
    };

    private ZooCfg() {
    }

    /** The configuration of {@code accord server} without arguments: one member, 127.0.0.1:2181, ./accord-data. */
    public static ServerConfig defaults() {
        Properties p = new Properties();
        p.setProperty("tickTime", Integer.toString(DEFAULT_TICK_TIME_MS));
        p.setProperty("dataDir", DEFAULT_DATA_DIR);
        p.setProperty("clientPort", Integer.toString(DEFAULT_CLIENT_PORT));
        p.setProperty("clientPortAddress", DEFAULT_CLIENT_ADDRESS);
        return parse(p, Path.of("."), warning -> {
        });
    }

    /** Reads and checks the file; relative directories in it are taken relative to the working directory. */
    public static ServerConfig load(Path file, Consumer<String> warnings) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("zoo.cfg not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        return parse(p, Path.of("."), warnings);
    }

    /** Checks and completes parsed properties (exposed for tests). */
    public static ServerConfig parse(Properties raw, Path baseDir, Consumer<String> warnings) {
        Map<String, String> p = new TreeMap<>();
        raw.stringPropertyNames().forEach(k -> p.put(k.trim(), raw.getProperty(k).trim()));

        int tickTime = intValue(p, "tickTime", ZK_TICK_TIME_MS);
        if (tickTime == 0) {
            throw new ConfigException("tickTime is not set (0): give the basic time unit in milliseconds, e.g. 2000");
        }
        positive("tickTime", tickTime);
        String dataDirValue = p.get("dataDir");
        if (dataDirValue == null || dataDirValue.isEmpty()) {
            throw new ConfigException("dataDir is not set: give the directory where Accord keeps its data");
        }
        Path dataDir = baseDir.resolve(dataDirValue).normalize();
        Path dataLogDir = p.containsKey("dataLogDir") ? baseDir.resolve(p.get("dataLogDir")).normalize() : dataDir;

        SortedMap<Integer, ServerEntry> servers = new TreeMap<>();
        SortedMap<String, String> accord = new TreeMap<>();
        boolean memory = false;
        for (Map.Entry<String, String> e : p.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("server.")) {
                ServerEntry entry = ServerLine.parse(key, e.getValue());
                servers.put(entry.id(), entry);
            } else if (key.equals("accord.mode")) {
                memory = switch (e.getValue().toLowerCase(Locale.ROOT)) {
                    case "persistent" -> false;
                    case "memory" -> true;
                    default -> throw new ConfigException(
                            "accord.mode: " + e.getValue() + " (expected: persistent or memory)");
                };
            } else if (key.startsWith("accord.")) {
                accord.put(key, e.getValue());
            } else if ((key.equals("ssl.clientHostnameVerification")
                    || key.equals("zookeeper.ssl.clientHostnameVerification"))
                    && Boolean.parseBoolean(e.getValue().trim())) {
                // Refused rather than ignored: a user who asked for the check must not believe it is made.
                throw new ConfigException(key + "=true: Accord does not check client certificates against client "
                        + "host names; remove the key or set it to false (certificates are still verified against "
                        + "the trust store)");
            } else if (!KNOWN_KEYS.contains(key) && !isSslKey(key)) {
                warnings.accept(isIgnoredZooKeeperKey(key)
                        ? "zoo.cfg: " + key + " is a ZooKeeper setting that Accord does not need; ignored"
                        : "zoo.cfg: unknown key " + key + "; ignored");
            }
        }

        int myId = 1;
        if (!servers.isEmpty()) {
            myId = readMyId(dataDir);
            if (!servers.containsKey(myId)) {
                throw new ConfigException("myid " + myId + " (from " + dataDir.resolve("myid")
                        + ") has no server." + myId + " line in zoo.cfg");
            }
            requireKey(p, "initLimit", "it is required when zoo.cfg has server.N lines");
            requireKey(p, "syncLimit", "it is required when zoo.cfg has server.N lines");
        }
        String clientAddress = p.getOrDefault("clientPortAddress", "0.0.0.0");
        int clientPort = intValue(p, "clientPort", -1);
        ServerEntry self = servers.get(myId);
        if (self != null && self.clientPort() >= 0) {
            if (clientPort >= 0 && clientPort != self.clientPort()) {
                throw new ConfigException("clientPort " + clientPort + " and server." + myId + "'s client port "
                        + self.clientPort() + " disagree");
            }
            clientPort = self.clientPort();
            if (self.clientHost() != null) {
                clientAddress = self.clientHost();
            }
        }
        if (clientPort < 0) {
            throw new ConfigException("clientPort is not set: give the port ZooKeeper clients connect to, e.g. 2181");
        }
        port("clientPort", clientPort);
        int secureClientPort = intValue(p, "secureClientPort", -1);
        if (secureClientPort != -1) {
            port("secureClientPort", secureClientPort);
        }
        String secureAddress = p.getOrDefault("secureClientPortAddress", clientAddress);
        TlsSettings clientTls = secureClientPort == -1 ? null : clientTls(p);
        int globalOutstandingLimit = intValue(p, "globalOutstandingLimit",
                Integer.getInteger("zookeeper.globalOutstandingLimit", 1000));
        positive("globalOutstandingLimit", globalOutstandingLimit);

        int maxCnxns = intValue(p, "maxClientCnxns", 60);
        if (maxCnxns < 0) {
            throw new ConfigException("maxClientCnxns: " + maxCnxns + " (expected: >= 0, 0 = unlimited)");
        }
        int minTimeout = intValue(p, "minSessionTimeout", -1);
        int maxTimeout = intValue(p, "maxSessionTimeout", -1);
        minTimeout = minTimeout == -1 ? 2 * tickTime : minTimeout;
        maxTimeout = maxTimeout == -1 ? 20 * tickTime : maxTimeout;
        positive("minSessionTimeout", minTimeout);
        positive("maxSessionTimeout", maxTimeout);
        if (minTimeout > maxTimeout) {
            throw new ConfigException("minSessionTimeout " + minTimeout + " must not be larger than maxSessionTimeout "
                    + maxTimeout);
        }
        int initLimit = intValue(p, "initLimit", 10);
        int syncLimit = intValue(p, "syncLimit", 5);
        positive("initLimit", initLimit);
        positive("syncLimit", syncLimit);

        int retain = intValue(p, "autopurge.snapRetainCount", 3);
        if (retain < 3) {
            warnings.accept("zoo.cfg: autopurge.snapRetainCount " + retain + " raised to the minimum, 3");
            retain = 3;
        }
        int purgeHours = intValue(p, "autopurge.purgeInterval", 0);
        if (purgeHours < 0) {
            throw new ConfigException("autopurge.purgeInterval: " + purgeHours + " (expected: hours >= 0, 0 = off)");
        }
        String whitelist = firstOf(p, "4lw.commands.whitelist", "zookeeper.4lw.commands.whitelist", "srvr");
        boolean adminEnabled = bool(p, "admin.enableServer", firstOf(p, "zookeeper.admin.enableServer", null, "true"));
        String adminAddress = p.getOrDefault("admin.serverAddress", "0.0.0.0");
        int adminPort = intValue(p, "admin.serverPort", 8080);
        port("admin.serverPort", adminPort);

        String superDigest = firstOf(p, "zookeeper.DigestAuthenticationProvider.superDigest",
                "DigestAuthenticationProvider.superDigest",
                System.getProperty("zookeeper.DigestAuthenticationProvider.superDigest"));
        if (superDigest != null && !superDigest.matches("[^:]+:[A-Za-z0-9+/]+=*")) {
            throw new ConfigException("superDigest: " + superDigest + " (expected: super:<base64 of SHA-1>, as "
                    + "printed by ZooKeeper's DigestAuthenticationProvider)");
        }
        int maxBuffer = intValue(p, "jute.maxbuffer", Integer.getInteger("jute.maxbuffer", DEFAULT_MAX_BUFFER));
        positive("jute.maxbuffer", maxBuffer);
        boolean extended = bool(p, "zookeeper.extendedTypesEnabled", firstOf(p, "extendedTypesEnabled", null,
                System.getProperty("zookeeper.extendedTypesEnabled", "false")));
        if (extended && servers.keySet().stream().anyMatch(id -> id > 254)) {
            throw new ConfigException("server ids must be 1..254 when extendedTypesEnabled is on");
        }
        boolean skipAcl = "yes".equalsIgnoreCase(firstOf(p, "skipACL", "zookeeper.skipACL",
                System.getProperty("zookeeper.skipACL", "no")));
        long containerInterval = longValue(p, "znode.container.checkIntervalMs",
                Long.getLong("znode.container.checkIntervalMs", 60_000));
        positive("znode.container.checkIntervalMs", containerInterval);
        int containerPerMinute = intValue(p, "znode.container.maxPerMinute",
                Integer.getInteger("znode.container.maxPerMinute", 10_000));
        positive("znode.container.maxPerMinute", containerPerMinute);
        long neverUsed = longValue(p, "znode.container.maxNeverUsedIntervalMs",
                Long.getLong("znode.container.maxNeverUsedIntervalMs", 0));
        if (neverUsed < 0) {
            throw new ConfigException("znode.container.maxNeverUsedIntervalMs: " + neverUsed + " (expected: >= 0)");
        }
        return new ServerConfig(tickTime, initLimit, syncLimit, dataDir, dataLogDir, clientAddress, clientPort,
                secureClientPort, maxCnxns, minTimeout, maxTimeout, myId, Collections.unmodifiableSortedMap(servers),
                retain, purgeHours, whitelist, adminEnabled, adminAddress, adminPort, superDigest, maxBuffer, extended,
                skipAcl, containerInterval, containerPerMinute, neverUsed, memory,
                Collections.unmodifiableSortedMap(accord), globalOutstandingLimit, secureAddress, clientTls);
    }

    /** The ZooKeeper {@code ssl.*} keys Accord uses for the client TLS port (also read as {@code zookeeper.ssl.*}). */
    static final List<String> SSL_KEYS = List.of("keyStore.location", "keyStore.password", "keyStore.passwordPath",
            "keyStore.type", "trustStore.location", "trustStore.password", "trustStore.passwordPath",
            "trustStore.type", "clientAuth", "protocol", "enabledProtocols", "ciphersuites");

    /**
     * The TLS settings of {@code secureClientPort} from the {@code ssl.*} keys (ZooKeeper turns its unknown zoo.cfg
     * keys into {@code zookeeper.*} system properties, so both spellings are read; a {@code passwordPath} names a
     * file holding the password).
     */
    private static TlsSettings clientTls(Map<String, String> p) {
        String keyStore = ssl(p, "keyStore.location");
        if (keyStore == null || keyStore.isEmpty()) {
            throw new ConfigException("secureClientPort needs ssl.keyStore.location: the key store with the server's "
                    + "certificate (JKS, PKCS12 or PEM)");
        }
        try {
            return new TlsSettings(keyStore, password(p, "keyStore"), ssl(p, "keyStore.type"),
                    ssl(p, "trustStore.location"), password(p, "trustStore"), ssl(p, "trustStore.type"),
                    TlsSettings.ClientAuth.of(ssl(p, "clientAuth")), ssl(p, "protocol"), list(ssl(p,
                    "enabledProtocols")), list(ssl(p, "ciphersuites")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String ssl(Map<String, String> p, String key) {
        return firstOf(p, "ssl." + key, "zookeeper.ssl." + key, null);
    }

    private static String password(Map<String, String> p, String store) {
        String path = ssl(p, store + ".passwordPath");
        if (path == null || path.isEmpty()) {
            return ssl(p, store + ".password");
        }
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new ConfigException("ssl." + store + ".passwordPath: cannot read " + path + ": " + e.getMessage());
        }
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static final Set<String> KNOWN_KEYS = Set.of(
            "tickTime", "initLimit", "syncLimit", "dataDir", "dataLogDir", "clientPort", "clientPortAddress",
            "secureClientPort", "secureClientPortAddress", "maxClientCnxns", "globalOutstandingLimit",
            "serverCnxnFactory", "minSessionTimeout", "maxSessionTimeout",
            "autopurge.snapRetainCount", "autopurge.purgeInterval", "4lw.commands.whitelist",
            "zookeeper.4lw.commands.whitelist", "admin.enableServer", "zookeeper.admin.enableServer",
            "admin.serverAddress", "admin.serverPort", "zookeeper.DigestAuthenticationProvider.superDigest",
            "DigestAuthenticationProvider.superDigest", "jute.maxbuffer", "zookeeper.extendedTypesEnabled",
            "extendedTypesEnabled", "skipACL", "zookeeper.skipACL", "znode.container.checkIntervalMs",
            "znode.container.maxPerMinute", "znode.container.maxNeverUsedIntervalMs");

    private static boolean isSslKey(String key) {
        String bare = key.startsWith("zookeeper.ssl.") ? key.substring("zookeeper.ssl.".length())
                : key.startsWith("ssl.") ? key.substring("ssl.".length()) : null;
        return bare != null && SSL_KEYS.contains(bare);
    }

    private static boolean isIgnoredZooKeeperKey(String key) {
        if (IGNORED_KEYS.contains(key) || key.equals("dynamicConfigFile")) {
            return true;
        }
        for (String prefix : IGNORED_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static int readMyId(Path dataDir) {
        Path file = dataDir.resolve("myid");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new ConfigException("myid file is missing: " + file.toAbsolutePath()
                    + " (in ensemble mode it holds this server's N from its server.N line)");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        try {
            int id = Integer.parseInt(text);
            if (id < 1 || id > 254) {
                throw new ConfigException("myid: " + id + " in " + file.toAbsolutePath() + " (expected: 1..254)");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new ConfigException("myid: '" + text + "' in " + file.toAbsolutePath()
                    + " (expected: a whole number 1..254)");
        }
    }

    private static void requireKey(Map<String, String> p, String key, String why) {
        if (!p.containsKey(key)) {
            throw new ConfigException(key + " is not set: " + why);
        }
    }

    private static String firstOf(Map<String, String> p, String key, String otherKey, String fallback) {
        if (p.containsKey(key)) {
            return p.get(key);
        }
        if (otherKey != null && p.containsKey(otherKey)) {
            return p.get(otherKey);
        }
        return fallback;
    }

    private static int intValue(Map<String, String> p, String key, int fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' (expected: a whole number)");
        }
    }

    private static long longValue(Map<String, String> p, String key, long fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' (expected: a whole number)");
        }
    }

    private static boolean bool(Map<String, String> p, String key, String fallback) {
        String v = p.getOrDefault(key, fallback);
        if ("true".equalsIgnoreCase(v) || "yes".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v) || "no".equalsIgnoreCase(v)) {
            return false;
        }
        throw new ConfigException(key + ": '" + v + "' (expected: true or false)");
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new ConfigException(key + ": " + value + " (expected: > 0)");
        }
    }

    static void port(String key, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigException(key + ": " + port + " (expected: 0..65535)");
        }
    }
}
