package io.accord.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.codec.RandomImage;
import io.accord.core.image.ChangeSink;
import io.accord.core.image.ImageSink;
import io.accord.core.image.NodeImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    private static final Checkpointer.Settings EXPLICIT_ONLY = new Checkpointer.Settings(3_600_000, 0);

    @TempDir
    Path dir;

    /** A change source the test drives: nodes set since the last drain, and the current position. */
    static final class Source implements Checkpointer.ChangeSource {
        private final Map<String, NodeImage> changed = new LinkedHashMap<>();
        private long position;
        private int drains;

        synchronized void set(String path, int version) {
            changed.put(path, CheckpointStoreContract.node(path, version));
            position++;
        }

        synchronized long position() {
            return position;
        }

        synchronized int drains() {
            return drains;
        }

        @Override
        public synchronized void drainChanges(ChangeSink sink) {
            drains++;
            changed.values().forEach(sink::nodePut);
            changed.clear();
            sink.meta(CheckpointStoreContract.meta(position));
        }
    }

    /** A real memory store that fails its next {@code failures} writes, as a full disk would. */
    static class FailingStore implements CheckpointStore {
        final MemoryCheckpointStore delegate = new MemoryCheckpointStore();
        volatile int failures;

        @Override
        public long appliedPosition() {
            return delegate.appliedPosition();
        }

        @Override
        public boolean load(ImageSink sink) {
            return delegate.load(sink);
        }

        @Override
        public void apply(ChangeSet changes) {
            if (failures > 0) {
                failures--;
                throw new CheckpointException("No space left on device (injected)");
            }
            delegate.apply(changes);
        }

        @Override
        public long sync() {
            return delegate.sync();
        }

        @Override
        public long sizeBytes() {
            return delegate.sizeBytes();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(1); // polling interval of the wait, not a stand-in for the condition
        }
    }

    private static int versionOf(CheckpointStore store, String path) {
        RandomImage.Collector c = new RandomImage.Collector();
        store.load(c);
        return c.records.stream().filter(r -> r instanceof NodeImage n && n.path().equals(path))
                .mapToInt(r -> ((NodeImage) r).version()).findFirst().orElse(-1);
    }

    @Test
    void checkpointsRunPeriodicallyAndSyncOnTheirOwnInterval() throws Exception {
        Source source = new Source();
        source.set("/", 0);
        try (XodusCheckpointStore store = XodusCheckpointStore.open(dir.resolve("x"))) {
            Checkpointer cp = Checkpointer.start(source, store, new Checkpointer.Settings(5, 50));
            source.set("/a", 1);
            long target = source.position();
            await(() -> cp.checkpointedPosition() >= target, "a periodic checkpoint");
            await(() -> cp.durablePosition() >= target, "a periodic sync");
            assertTrue(cp.checkpoints() >= 1);
            assertEquals(1, versionOf(store, "/a"));
            cp.close();
        }
    }

    @Test
    void onDemandCheckpointCoversEverythingAppliedBeforeTheRequest() throws Exception {
        Source source = new Source();
        try (MemoryCheckpointStore store = new MemoryCheckpointStore()) {
            Checkpointer cp = Checkpointer.start(source, store, EXPLICIT_ONLY);
            for (int i = 0; i < 100; i++) {
                source.set("/n" + (i % 10), i);
                if (i % 25 == 24) {
                    long expected = source.position();
                    assertEquals(expected, cp.requestCheckpoint(false).get(30, TimeUnit.SECONDS));
                    assertEquals(expected, store.appliedPosition());
                    assertEquals(i, versionOf(store, "/n" + (i % 10)));
                }
            }
            assertEquals(100, cp.checkpointAndSync(30_000));
            assertEquals(100, cp.durablePosition());
            assertEquals(4 * 10 + 0, cp.changesWritten()); // 10 distinct nodes per set: coalesced
            cp.close();
        }
    }

    @Test
    void aFailingStoreIsReportedAndNothingDrainedIsLost() throws Exception {
        Source source = new Source();
        FailingStore store = new FailingStore();
        Checkpointer cp = Checkpointer.start(source, store, EXPLICIT_ONLY);
        source.set("/", 0);
        source.set("/a", 1);
        store.failures = 2;
        CompletableFuture<Long> first = cp.requestCheckpoint(true);
        ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("No space left on device"));
        assertFalse(cp.healthy());
        assertSame(e.getCause(), cp.lastFailure());
        assertEquals(CheckpointStore.EMPTY, cp.checkpointedPosition());
        assertEquals(CheckpointStore.EMPTY, cp.durablePosition());
        source.set("/b", 2); // drained into the kept set on the next attempt
        CheckpointException again = assertThrows(CheckpointException.class, () -> cp.checkpointAndSync(30_000));
        assertTrue(again.getMessage().startsWith("checkpoint failed"), again.getMessage());
        assertEquals(2, cp.consecutiveFailures());
        assertEquals(3, cp.checkpointAndSync(30_000));
        assertTrue(cp.healthy());
        assertNull(cp.lastFailure());
        assertEquals(0, versionOf(store, "/"));
        assertEquals(1, versionOf(store, "/a"));
        assertEquals(2, versionOf(store, "/b"));
        cp.close();
    }

    @Test
    void closeWritesAndSyncsTheLastChangesThenRefusesRequests() throws Exception {
        Source source = new Source();
        try (XodusCheckpointStore store = XodusCheckpointStore.open(dir.resolve("close"))) {
            Checkpointer cp = Checkpointer.start(source, store, EXPLICIT_ONLY);
            source.set("/", 0);
            source.set("/last", 9);
            cp.close();
            assertEquals(2, cp.durablePosition());
            assertEquals(2, store.syncedPosition());
            assertEquals(9, versionOf(store, "/last"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> cp.requestCheckpoint(false).get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("closed"));
            cp.close(); // idempotent
        }
    }

    @Test
    void anInterruptOfTheCheckpointThreadIsIgnored() throws Exception {
        Source source = new Source();
        try (XodusCheckpointStore store = XodusCheckpointStore.open(dir.resolve("intr"))) {
            Checkpointer cp = Checkpointer.start(source, store, EXPLICIT_ONLY);
            java.util.List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("accord-checkpoint-") && t.isAlive()).toList();
            assertEquals(2, threads.size(), "writer and drainer");
            for (int i = 0; i < 20; i++) {
                source.set("/i" + i, i);
                CompletableFuture<Long> f = cp.requestCheckpoint(i % 2 == 0);
                threads.forEach(Thread::interrupt);
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(source.position(), cp.checkpointAndSync(30_000));
            assertTrue(cp.healthy());
            cp.close();
            assertEquals(19, versionOf(store, "/i19"));
        }
    }

    /** A real memory store whose writes wait until the test opens the gate, like a slow disk. */
    static final class GatedStore extends FailingStore {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void apply(ChangeSet changes) {
            entered.countDown();
            try {
                assertTrue(gate.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            super.apply(changes);
        }
    }

    @Test
    void drainsContinueInSmallStepsWhileALongWriteRuns() throws Exception {
        Source source = new Source();
        GatedStore store = new GatedStore();
        Checkpointer cp = Checkpointer.start(source, store, new Checkpointer.Settings(3_600_000, 0, 1));
        source.set("/", 0);
        CompletableFuture<Long> first = cp.requestCheckpoint(false);
        assertTrue(store.entered.await(30, TimeUnit.SECONDS), "the write started");
        int drainsBefore = source.drains();
        for (int i = 0; i < 5; i++) {
            source.set("/during", i);
            int seen = source.drains();
            await(() -> source.drains() > seen, "a drain while the write is blocked");
        }
        assertTrue(source.drains() >= drainsBefore + 5);
        store.gate.countDown();
        assertEquals(1, first.get(30, TimeUnit.SECONDS));
        assertEquals(6, cp.checkpointAndSync(30_000));
        assertEquals(4, versionOf(store, "/during")); // drained during the write, coalesced, written next
        cp.close();
    }

    @Test
    void aSetThatFailedIsMergedUnderChangesDrainedMeanwhile() throws Exception {
        Source source = new Source();
        FailingStore store = new FailingStore();
        Checkpointer cp = Checkpointer.start(source, store, new Checkpointer.Settings(3_600_000, 0, 1));
        source.set("/", 0);
        source.set("/x", 1);
        store.failures = 1;
        assertThrows(CheckpointException.class, () -> cp.checkpointAndSync(30_000));
        source.set("/x", 2); // newer than the failed set's /x
        source.set("/y", 3);
        int seen = source.drains();
        await(() -> source.drains() > seen, "the drainer to take the new changes");
        assertEquals(4, cp.checkpointAndSync(30_000));
        assertEquals(0, versionOf(store, "/"));
        assertEquals(2, versionOf(store, "/x"));
        assertEquals(3, versionOf(store, "/y"));
        cp.close();
    }

    @Test
    void anIdleDrainerBacksOffAndNewChangesBringItBack() throws Exception {
        Source source = new Source();
        MemoryCheckpointStore store = new MemoryCheckpointStore();
        // Drains every 20 ms; with nothing new, every 40, then 80 ms at most (4 x 20, below the 1 h writes).
        Checkpointer cp = Checkpointer.start(source, store, new Checkpointer.Settings(3_600_000, 0, 20));
        try {
            await(() -> source.drains() >= 4, "the first idle drains (20, 40, 80 ms apart)");
            int before = source.drains();
            Thread.sleep(1_000); // a measurement window: how often an idle drainer wakes
            int idle = source.drains() - before;
            assertTrue(idle >= 3 && idle <= 25, "drains in 1 s with nothing to drain (expected about 12, 50 without "
                    + "the back-off): " + idle);
            source.set("/new", 1);
            int seen = source.drains();
            await(() -> source.drains() > seen, "a drain of the new change");
            assertEquals(1, cp.checkpointAndSync(30_000));
            assertEquals(1, versionOf(store, "/new"));
        } finally {
            cp.close();
        }
    }

    @Test
    void settingsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpointer.Settings(10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Checkpointer.Settings(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Checkpointer.Settings(10, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new XodusCheckpointStore.Settings(10, 64 << 20, true, 50, 0));
    }
}
