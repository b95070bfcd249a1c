package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.storage.Checkpointer;
import io.aeron.cluster.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log truncation after snapshots with three real members: the archive's log recording loses its old segments once
 * every member recorded past a snapshot, and members still restart (from their own data) and converge.
 */
class LogPurgeTest {
    private static final Logger LOG = LoggerFactory.getLogger(LogPurgeTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** 1 MiB segments (the smallest the 1 MiB log term allows), so a few MiB of log span several of them. */
    private static final int SEGMENT = 1 << 20;
    private final AtomicLong requestIds = new AtomicLong(System.currentTimeMillis() << 21);

    private static TestCluster cluster(StorageMode mode) {
        // With a cluster secret: the wiped member's ClusterBackup query must authenticate as well.
        return TestCluster.of(3, mode, ctx -> ctx.archiveSegmentLength(SEGMENT).logPurgeCheckIntervalMs(200)
                .checkpointSettings(new Checkpointer.Settings(100, 200))
                .clusterSecret("a secret the members share".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Writes {@code n} creates of 12 KiB from member {@code id} and waits until that member applied them all. */
    private void write(TestCluster c, int id, String prefix, int n) {
        long session = c.session(id, WAIT);
        byte[] value = new byte[12 * 1024];
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long rid = requestIds.incrementAndGet();
            value[0] = (byte) i;
            c.submit(id, TestCluster.create(id, rid, session, prefix + "-" + i, value.clone()), WAIT);
            ids.add(rid);
        }
        for (long rid : ids) {
            c.awaitApplied(id, rid, WAIT);
        }
    }

    /** Bytes of the log recording's segment files ({@code <recordingId>-<segment base>.rec}) in the archive. */
    private static long logSegmentBytes(TestCluster c, int id) throws IOException {
        long recordingId;
        try (RecordingLog log = new RecordingLog(c.dataDir(id).resolve("cluster").toFile(), false)) {
            recordingId = log.findLastTermRecordingId();
        }
        try (Stream<Path> s = Files.list(c.dataDir(id).resolve("archive"))) {
            long sum = 0;
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(recordingId + "-")
                    && p.toString().endsWith(".rec")).toList()) {
                try {
                    sum += Files.size(p);
                } catch (java.nio.file.NoSuchFileException e) {
                    // purged meanwhile: a member purges again as its Xodus durable position catches up
                }
            }
            return sum;
        }
    }

    /** Recordings in member {@code id}'s archive other than its log (snapshots: one per service, one per CM). */
    private static long snapshotRecordings(TestCluster c, int id) {
        try (RecordingLog log = new RecordingLog(c.dataDir(id).resolve("cluster").toFile(), false);
             Stream<Path> s = Files.list(c.dataDir(id).resolve("archive"))) {
            long logId = log.findLastTermRecordingId();
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rec"))
                    .map(n -> n.substring(0, n.indexOf('-'))).filter(n -> !n.equals(Long.toString(logId)))
                    .distinct().count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertPaths(TestCluster c, String prefix, int n) {
        for (int id : c.running()) {
            for (int i = 0; i < n; i++) {
                assertNotNull(c.node(id).replica().statOf(prefix + "-" + i), "member " + id + " lacks " + prefix
                        + "-" + i);
            }
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aSnapshotEveryMemberRecordedPastLetsEachPurgeItsOldSegmentsAndMembersStillRestart() throws Exception {
        try (TestCluster c = cluster(StorageMode.PERSISTENT).startAll()) {
            c.awaitServing(WAIT);
            int leader = c.awaitLeader(WAIT);
            write(c, leader, "/a", 400); // about 5 MiB of log: 5 segments
            c.awaitConverged(WAIT);
            long[] before = new long[4];
            for (int id = 1; id <= 3; id++) {
                before[id] = logSegmentBytes(c, id);
                assertEquals(0, c.node(id).stats().logStartPosition());
            }
            assertTrue(c.node(leader).takeSnapshot(), "the leader accepts a snapshot request");
            // A member whose Xodus durable position still lags purges only up to it, then again at its next check
            // as the position catches up: wait for the purge past the snapshot, not for the first one.
            TestCluster.await(() -> c.running().stream().allMatch(id -> c.node(id).stats().logPurges() >= 1
                            && c.node(id).stats().logStartPosition() >= 3L * SEGMENT), WAIT,
                    () -> "not every member purged: " + c.running().stream().map(id -> c.node(id).stats()).toList());
            for (int id = 1; id <= 3; id++) {
                MemberStats s = c.node(id).stats();
                long after = logSegmentBytes(c, id);
                LOG.info("member {}: log starts at {} after the purge; log segment files {} -> {} bytes "
                        + "(applied position {})", id, s.logStartPosition(), before[id], after, s.appliedPosition());
                assertTrue(s.logStartPosition() >= 3L * SEGMENT, "member " + id + ": " + s);
                assertTrue(s.logStartPosition() % SEGMENT == 0, "segment aligned: " + s);
                assertTrue(after < before[id], "member " + id + " archive " + before[id] + " -> " + after);
            }

            // A follower restarts from its own snapshot/checkpoint and local log suffix, then catches up. While it is
            // down nobody purges: it will need the log after its own position from the leader.
            int follower = leader == 1 ? 2 : 1;
            int other = 6 - leader - follower;
            c.stop(follower);
            write(c, leader, "/b", 250);
            long startBefore = c.node(leader).stats().logStartPosition();
            assertTrue(c.node(leader).takeSnapshot(), "the leader accepts a second snapshot request");
            TestCluster.await(() -> c.node(leader).stats().snapshotsTaken() >= 2, WAIT, () -> "no second snapshot");
            Thread.sleep(1_500); // several purge checks (every 200 ms) while the follower is down
            assertEquals(startBefore, c.node(leader).stats().logStartPosition(),
                    "the leader purged while a member was down: " + c.node(leader).stats());
            c.start(follower);
            c.awaitServing(WAIT);
            c.awaitConverged(WAIT);
            TestCluster.await(() -> c.node(leader).stats().logStartPosition() > startBefore, WAIT,
                    () -> "the leader did not purge once every member was back: " + c.node(leader).stats());
            LOG.info("with every member back the leader's log starts at {}", c.node(leader).stats().logStartPosition());

            // A third snapshot: the first one's recordings go, the last two snapshots' stay (2 recordings each).
            write(c, leader, "/b2", 10);
            assertTrue(c.node(leader).takeSnapshot(), "the leader accepts a third snapshot request");
            TestCluster.await(() -> c.node(leader).stats().snapshotsTaken() >= 3, WAIT, () -> "no third snapshot");
            TestCluster.await(() -> snapshotRecordings(c, leader) == 4, WAIT,
                    () -> "snapshot recordings of member " + leader + ": " + snapshotRecordings(c, leader));

            // A wiped member cannot replay the purged log: it fetches a snapshot and the log after it, then converges.
            c.stop(other);
            c.wipe(other);
            write(c, leader, "/c", 20);
            long t0 = System.nanoTime();
            c.start(other);
            c.awaitServing(WAIT);
            c.awaitConverged(WAIT);
            LOG.info("wiped member {} serving and converged {} ms after its start: {}", other,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), c.node(other).stats());
            assertEquals(1, c.node(other).stats().snapshotsLoaded(), "the wiped member loads a snapshot");
            assertPaths(c, "/a", 400);
            assertPaths(c, "/b", 250);
            assertPaths(c, "/b2", 10);
            assertPaths(c, "/c", 20);
        }
    }
}
