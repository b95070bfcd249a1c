package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.CoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One test per {@link AeronReplicationPort.Context#conclude()} rule; messages quote the values. */
class ContextTest {
    private static final List<Member> THREE = Member.parseList("1=127.0.0.1:20000,2=127.0.0.1:20010,3=127.0.0.1:20020");

    private static AeronReplicationPort.Context ctx() {
        return new AeronReplicationPort.Context().nodeId(2).members(THREE).dataDir(Path.of("data"));
    }

    private static String fails(AeronReplicationPort.Context c) {
        return assertThrows(IllegalArgumentException.class, c::conclude).getMessage();
    }

    @Test
    void defaultsFitZooKeepersOneMegabyteValues() {
        AeronReplicationPort.Context c = ctx().conclude();
        assertEquals(CoreConfig.DEFAULT_MAX_DATA_BYTES + 16 * 1024, c.maxEntryLength());
        assertEquals(16 << 20, c.ingressTermLength());
        assertEquals(16 << 20, c.logTermLength());
        assertEquals(8 << 20, c.ipcTermLength());
        assertEquals(128 << 20, c.archiveSegmentLength());
        assertEquals(3 * c.leaderHeartbeatTimeoutNs(), c.startupCanvassTimeoutNs());
        assertEquals(StorageMode.PERSISTENT, c.storageMode());
        assertTrue(c.aeronDirectoryName().contains("accord-"), c.aeronDirectoryName());
        assertTrue(c.dataDir().isAbsolute());
        assertEquals(2, c.self().id());
    }

    @Test
    void smallValuesGiveTheSmallTestProfile() {
        AeronReplicationPort.Context c = ctx().coreConfig(CoreConfig.defaults().withMaxDataBytes(16 * 1024)).conclude();
        assertEquals(512 * 1024, c.ingressTermLength());
        assertEquals(1 << 20, c.logTermLength());
        assertEquals(16 << 20, c.archiveSegmentLength());
    }

    @Test
    void membersOnLoopbackGetLargeDatagramsAndMembersOnANetworkGetEthernetSizedOnes() {
        assertEquals(32 * 1024, ctx().conclude().mtu());
        assertEquals(32 * 1024, ctx().members(Member.parseList("1=[::1]:20000,2=localhost:20010,3=127.0.0.2:20020"))
                .conclude().mtu());
        // 192.0.2.0/24 is TEST-NET-1: an address that is not this host's loopback
        assertEquals(1408, ctx().members(Member.parseList("1=127.0.0.1:20000,2=192.0.2.7:20010,3=127.0.0.1:20020"))
                .conclude().mtu());
        assertEquals(1408, ctx().members(Member.parseList("1=127.0.0.1:20000,2=no-such-host.invalid:20010,"
                + "3=127.0.0.1:20020")).conclude().mtu());
        assertEquals(8192, ctx().mtu(8192).conclude().mtu());
        assertEquals(65_504, ctx().mtu(65_504).conclude().mtu());
    }

    @Test
    void anMtuIsAMultipleOf32ThatAeronCanSend() {
        for (int bad : new int[] {-32, 992, 1410, 65_536}) {
            assertEquals("mtu: " + bad + " (expected: a multiple of 32 from 1024 to 65504)",
                    assertThrows(IllegalArgumentException.class, () -> ctx().mtu(bad)).getMessage());
        }
    }

    @Test
    void driverArchiveAndConsensusModuleShareAThreadUnlessToldOtherwise() {
        assertTrue(ctx().conclude().sharedThread());
        assertFalse(ctx().threading("dedicated").conclude().sharedThread());
        assertTrue(ctx().sharedThread(false).threading("shared").sharedThread());
        assertEquals("unknown threading 'single' (expected: shared or dedicated)",
                assertThrows(IllegalArgumentException.class, () -> ctx().threading("single")).getMessage());
    }

    @Test
    void concludesOnlyOnce() {
        AeronReplicationPort.Context c = ctx().conclude();
        assertThrows(IllegalStateException.class, c::conclude);
    }

    @Test
    void nodeIdMustBeAMember() {
        assertEquals("nodeId: 4 (expected: one of the member ids [1, 2, 3])", fails(ctx().nodeId(4)));
    }

    @Test
    void membersAreRequiredAndUnique() {
        assertTrue(fails(ctx().members(List.of())).startsWith("members: [] (expected: at least one member)"));
        assertTrue(fails(ctx().members(Member.parseList("2=a:20000,2=b:20000"))).contains("member id 2 appears twice"));
    }

    @Test
    void portRangesOfMembersOnOneHostMustNotOverlap() {
        String m = fails(ctx().members(Member.parseList("1=h:20000,2=h:20003")));
        assertEquals("members 1 and 2 on h: base ports 20000 and 20003 overlap (expected: >= 5 apart)", m);
    }

    @Test
    void memberStringsAreParsedAndChecked() {
        assertEquals(new Member(7, "10.0.0.7", 21000), Member.parseList(" 7=10.0.0.7:21000 ").get(0));
        assertEquals("member: 'x' (expected: id=host:basePort)",
                assertThrows(IllegalArgumentException.class, () -> Member.parseList("x")).getMessage());
        assertEquals("member id: 255 (expected: 1..254)",
                assertThrows(IllegalArgumentException.class, () -> new Member(255, "h", 1)).getMessage());
        assertEquals("member 1 base port: 65533 (expected: 1..65531)",
                assertThrows(IllegalArgumentException.class, () -> new Member(1, "h", 65533)).getMessage());
        assertEquals("1,h:20000,h:20001,h:20002,h:20003,h:20004",
                Member.clusterMembersString(List.of(new Member(1, "h", 20000))));
    }

    @Test
    void anEntryMustFitInOneIngressMessage() {
        String m = fails(ctx().ingressTermLength(1 << 20));
        assertEquals("maxEntryLength: 1064959 (expected: 1..131040, what ingressTermLength 1048576 carries in one "
                + "message)", m);
    }

    @Test
    void theLogTermIsNeverSmallerThanTheIngressTerm() {
        String m = fails(ctx().coreConfig(CoreConfig.defaults().withMaxDataBytes(1024)).ingressTermLength(1 << 20)
                .logTermLength(512 * 1024));
        assertEquals("logTermLength: 524288 (expected: >= ingressTermLength 1048576, or the leader drops large "
                + "messages)", m);
    }

    @Test
    void termLengthsArePowersOfTwo() {
        assertEquals("ipcTermLength: 100000 (expected: a power of two in 65536..1073741824)",
                fails(ctx().ipcTermLength(100_000)));
    }

    @Test
    void theArchiveSegmentHoldsAtLeastOneLogTerm() {
        assertEquals("archiveSegmentLength: 8388608 (expected: a power of two >= logTermLength 16777216)",
                fails(ctx().archiveSegmentLength(8 << 20)));
    }

    @Test
    void heartbeatIntervalIsBelowItsTimeout() {
        String m = fails(ctx().leaderHeartbeatIntervalNs(TimeUnit.SECONDS.toNanos(3)));
        assertEquals("leaderHeartbeatIntervalNs: 3000000000 (expected: > 0 and < leaderHeartbeatTimeoutNs "
                + "3000000000)", m);
    }

    @Test
    void canvassTimeoutIsAMultipleOfTheHeartbeatTimeout() {
        assertEquals("startupCanvassTimeoutNs: 10000000000 (expected: a multiple of leaderHeartbeatTimeoutNs "
                + "3000000000)", fails(ctx().startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(10))));
    }

    @Test
    void livenessOutlastsATick() {
        assertEquals("livenessTimeoutNs: 1000000000 (expected: > tickIntervalMs 1000 ms, or no member would ever "
                + "serve)", fails(ctx().livenessTimeoutNs(TimeUnit.SECONDS.toNanos(1))));
    }

    @Test
    void tickAndSnapshotIntervals() {
        assertEquals("tickIntervalMs: 0 (expected: > 0)", fails(ctx().tickIntervalMs(0)));
        assertEquals("snapshotIntervalMs: -1 (expected: >= 0; 0 = no periodic snapshots)",
                fails(ctx().snapshotIntervalMs(-1)));
        assertEquals("logPurgeCheckIntervalMs: -1 (expected: >= 0; 0 = never purge the log)",
                fails(ctx().logPurgeCheckIntervalMs(-1)));
        assertEquals("driverTimerIntervalNs: 500000 (expected: 0 for Aeron's default, or 1 ms..1 s)",
                fails(ctx().driverTimerIntervalNs(500_000)));
        assertEquals("clusterSecret: 3 bytes (expected: >= 16)", fails(ctx().clusterSecret(new byte[3])));
    }

    @Test
    void sessionsForEveryMember() {
        assertEquals("maxConcurrentSessions: 3 (expected: > number of members 3)",
                fails(ctx().maxConcurrentSessions(3)));
    }

    @Test
    void dataDirIsRequired() {
        assertEquals("dataDir", assertThrows(NullPointerException.class,
                () -> new AeronReplicationPort.Context().nodeId(1).members(THREE).conclude()).getMessage());
    }
}
