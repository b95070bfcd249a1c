package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import io.accord.core.port.ReplicationPort;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per {@link ZkServer.Context#conclude()} rule. */
class ContextTest {
    private static final ReplicationPort PORT =
            LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, 1000);

    private static ZkServer.Context context() {
        return new ZkServer.Context().replicationPort(PORT);
    }

    private static String failure(ZkServer.Context context) {
        return assertThrows(RuntimeException.class, context::conclude).getMessage();
    }

    @Test
    void defaultsFollowZooKeeper() {
        ZkServer.Context c = context().tickTimeMs(2000).conclude();
        assertEquals(2181, c.port());
        assertEquals(4000, c.minSessionTimeoutMs());
        assertEquals(40000, c.maxSessionTimeoutMs());
        assertEquals(60, c.maxClientCnxns());
        assertEquals(1000, c.globalOutstandingLimit());
        assertEquals(0xfffff, c.maxFrameLength());
        assertEquals(Set.of("srvr"), c.fourLetterWords());
        assertEquals(3000, context().conclude().tickTimeMs());
    }

    @Test
    void launchOnAPortInUseFailsAndClosesTheOwnedReplicationPort() {
        try (TestServer running = TestServer.start()) {
            LocalReplicator port = LocalReplicator.withSystemClock(new StateMachine(CoreConfig.defaults()), 1, 1000);
            ZkServer.Context taken = new ZkServer.Context().replicationPort(port).bindAddress("127.0.0.1")
                    .port(running.port()).closePortOnClose(true);
            assertThrows(Exception.class, () -> ZkServer.launch(taken));
            assertEquals(false, port.serving());
        }
    }

    @Test
    void portIsRequired() {
        assertEquals("replicationPort", failure(new ZkServer.Context()));
    }

    @Test
    void portNumberInRange() {
        assertEquals("port: 70000 (expected: 0...65535)", failure(context().port(70000)));
    }

    @Test
    void tickTimePositive() {
        assertEquals("tickTimeMs: 0 (expected: > 0)", failure(context().tickTimeMs(0)));
    }

    @Test
    void minTimeoutNotAboveMax() {
        assertEquals("minSessionTimeoutMs: 5000 (expected: <= maxSessionTimeoutMs 4000)",
                failure(context().minSessionTimeoutMs(5000).maxSessionTimeoutMs(4000)));
    }

    @Test
    void maxClientCnxnsNotNegative() {
        assertEquals("maxClientCnxns: -1 (expected: >= 0)", failure(context().maxClientCnxns(-1)));
    }

    @Test
    void outstandingLimitsPositive() {
        assertEquals("globalOutstandingLimit: 0 (expected: > 0)", failure(context().globalOutstandingLimit(0)));
        assertEquals("maxOutstandingPerConnection: -1 (expected: > 0)",
                failure(context().maxOutstandingPerConnection(-1)));
    }

    @Test
    void maxFramePositive() {
        assertEquals("maxFrameLength: 0 (expected: > 0)", failure(context().maxFrameLength(0)));
    }

    @Test
    void handshakeTimeoutPositive() {
        assertEquals("handshakeTimeoutMs: 0 (expected: > 0)", failure(context().handshakeTimeoutMs(0)));
        assertEquals(10_000, context().conclude().handshakeTimeoutMs());
    }

    @Test
    void superDigestMustBeUserColonBase64Sha1() {
        assertTrue(failure(context().superDigest("super")).startsWith("superDigest: super (expected:"));
        assertTrue(failure(context().superDigest("super:abc")).startsWith("superDigest: super:abc"));
        context().superDigest("super:D/InIHSb7yEEbrWz8b9l71RjZJU=").conclude();
    }

    @Test
    void whitelistWordsMustBeKnownAndSrvrIsAlwaysIn() {
        assertTrue(failure(context().fourLetterWordWhitelist("ruok, nope")).startsWith(
                "fourLetterWordWhitelist: unknown word 'nope' in 'ruok, nope'"));
        assertEquals(Set.of("ruok", "mntr", "srvr"), context().fourLetterWordWhitelist(" ruok ,MNTR").conclude()
                .fourLetterWords());
        assertTrue(context().fourLetterWordWhitelist("*").conclude().fourLetterWords().contains("*"));
    }

    @Test
    void adminAndJmxDefaultsFollowZooKeeper() {
        ZkServer.Context c = context().conclude();
        assertTrue(c.adminEnableServer());
        assertEquals("0.0.0.0", c.adminServerAddress());
        assertEquals(8080, c.adminServerPort());
        assertEquals("/commands", c.adminCommandUrl());
        assertEquals(30_000, c.adminIdleTimeoutMs());
        assertTrue(c.jmxEnabled());
        assertEquals("io.accord", c.jmxDomain());
        assertEquals("standalone", c.role().state());
        assertEquals("standalone", c.mode());
    }

    @Test
    void adminPortInRange() {
        assertEquals("adminServerPort: -1 (expected: 0...65535)", failure(context().adminServerPort(-1)));
    }

    @Test
    void adminCommandUrlIsAPathOtherThanRootAndMetrics() {
        assertEquals("adminCommandUrl: commands (expected: a path such as /commands, not / and not under /metrics)",
                failure(context().adminCommandUrl("commands")));
        assertTrue(failure(context().adminCommandUrl("/")).startsWith("adminCommandUrl: / "));
        assertTrue(failure(context().adminCommandUrl("/metrics")).startsWith("adminCommandUrl: /metrics "));
    }

    @Test
    void adminSettingsAreNotCheckedWhenTheAdminServerIsOff() {
        assertEquals(-1, context().adminEnableServer(false).adminServerPort(-1).conclude().adminServerPort());
    }

    @Test
    void adminIdleTimeoutPositive() {
        assertEquals("adminIdleTimeoutMs: 0 (expected: > 0)", failure(context().adminIdleTimeoutMs(0)));
    }

    @Test
    void jmxDomainMustBeAValidDomain() {
        assertEquals("jmxDomain: a:b (expected: a JMX domain such as io.accord)", failure(context().jmxDomain("a:b")));
        assertEquals("a:b", context().jmxEnabled(false).jmxDomain("a:b").conclude().jmxDomain());
    }

    @Test
    void roleIsRequired() {
        assertEquals("role", failure(context().role(null)));
    }
}
