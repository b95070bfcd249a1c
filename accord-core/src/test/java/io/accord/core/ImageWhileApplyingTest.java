package io.accord.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.codec.SnapshotCodec;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue #2 "snapshot streamable while applies continue": {@link StateMachine#writeImage} writes the state as it was
 * when it began, while the apply thread goes on changing the tree between the image's steps.
 */
class ImageWhileApplyingTest {
    private static final CoreConfig CONFIG = CoreConfig.defaults().withContainerCheckIntervalMs(2000);

    /** Pauses the writing thread every {@code every} nodes and lets the test apply entries meanwhile. */
    private static final class PausingSink implements ImageSink {
        final ImageSink target;
        final int every;
        final Semaphore paused = new Semaphore(0);
        final Semaphore resume = new Semaphore(0);
        int nodes;

        PausingSink(ImageSink target, int every) {
            this.target = target;
            this.every = every;
        }

        @Override
        public void meta(MetaImage meta) {
            target.meta(meta);
        }

        @Override
        public void acl(AclImage acl) {
            target.acl(acl);
        }

        @Override
        public void node(NodeImage node) {
            target.node(node);
            if (++nodes % every == 0) {
                paused.release();
                try {
                    if (!resume.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never resumed the image");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void session(SessionImage session) {
            target.session(session);
        }
    }

    /**
     * Writes an image of {@code sm} on another thread through {@code target}, applying {@code perPause} entries of
     * {@code rest} each time the image pauses; returns how many entries went in while the image was open.
     */
    private static int writeWhileApplying(StateMachine sm, ImageSink target, int every, List<RandomLog.Step> rest,
            int perPause) throws Exception {
        PausingSink sink = new PausingSink(target, every);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                sm.writeImage(sink);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "image-writer");
        writer.start();
        int applied = 0;
        while (true) {
            if (!sink.paused.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                if (!writer.isAlive()) {
                    break;
                }
                continue;
            }
            int from = applied;
            int to = Math.min(rest.size(), from + perPause);
            // if writeImage held the lock across its steps, these applies would block: fail instead of hanging
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (RandomLog.Step s : rest.subList(from, to)) {
                    sm.apply(s.position(), s.time(), s.entry(), null);
                }
            });
            applied = to;
            sink.resume.release();
        }
        writer.join(30_000);
        assertNull(failure.get(), () -> "image writer failed: " + failure.get());
        return applied;
    }

    @Test
    void anImageWrittenWhileEveryKindOfOpAppliesIsTheStateWhenItBegan() throws Exception {
        for (long seed = 11; seed <= 14; seed++) {
            RandomLog gen = new RandomLog(seed, CONFIG);
            List<RandomLog.Step> log = gen.generate(6000);
            int cut = 2000 + (int) (seed * 97 % 1000);
            StateMachine sm = new StateMachine(CONFIG);
            for (RandomLog.Step s : log.subList(0, cut)) {
                sm.apply(s.position(), s.time(), s.entry(), null);
            }
            long digestAtStart = sm.digest();
            String modelAtStart = ImageModel.of(sm).render();
            sm.imageStep = 3;
            StateMachine.Loader loader = StateMachine.loader(CONFIG);
            List<RandomLog.Step> rest = log.subList(cut, log.size());
            int during = writeWhileApplying(sm, loader, 2, rest, 40);
            assertTrue(during >= 200, "entries applied while the image was open: " + during);
            StateMachine restored = loader.finish();
            assertEquals(digestAtStart, restored.digest(), "seed " + seed);
            assertEquals(modelAtStart, ImageModel.of(restored).render(), "seed " + seed);
            assertFalse(digestAtStart == sm.digest(), "the live replica moved on");

            // the restored replica, fed the whole log (the prefix is skipped by position), ends equal
            for (RandomLog.Step s : log) {
                sm.apply(s.position(), s.time(), s.entry(), null);
                restored.apply(s.position(), s.time(), s.entry(), null);
            }
            assertEquals(sm.digest(), restored.digest(), "seed " + seed);
            assertEquals(gen.driver().digest(), restored.digest(), "seed " + seed);
        }
    }

    @Test
    void aSnapshotStreamedThroughTheCodecWhileWritesGoOnLoadsTheStateWhenItBegan() throws Exception {
        StateMachine sm = new StateMachine(CONFIG);
        List<Id> ids = List.of(new Id("ip", "127.0.0.1"));
        long[] position = {0};
        long[] sequence = {0};
        long[] session = {0};
        List<Request> batch = new ArrayList<>();
        java.util.function.Consumer<List<Request>> apply = reqs -> {
            position[0]++;
            sm.apply(position[0], 1_700_000_000_000L + position[0], new LogEntry(1, ++sequence[0],
                    List.copyOf(reqs)), a -> {
                        if (a.result() instanceof io.accord.core.txn.Result.SessionCreated c) {
                            session[0] = c.sessionId();
                        }
                    });
            reqs.clear();
        };
        batch.add(new Request(1, 0, 0, ids, new Op.CreateSession(30_000, new byte[16])));
        apply.accept(batch);
        for (int p = 0; p < 20; p++) {
            batch.add(new Request(1, 0, session[0], ids, create("/p" + p, 8)));
            for (int c = 0; c < 500; c++) {
                batch.add(new Request(1, 0, session[0], ids,
                        create("/p" + p + "/c" + c, 8)));
            }
            apply.accept(batch);
        }
        long digestAtStart = sm.digest();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SnapshotCodec.Writer codec = SnapshotCodec.writer(bytes);

        // while the image is written: rewrite, delete and create nodes on both sides of the walk
        List<RandomLog.Step> writes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            List<Request> reqs = new ArrayList<>();
            int p = (i * 7) % 20;
            int c = (i * 13) % 500;
            String rewritten = "/p" + p + "/c" + c;
            String deleted = "/p" + ((p + 3) % 20) + "/c" + ((c + 1) % 500);
            reqs.add(new Request(1, 0, session[0], ids, new Op.SetData(rewritten, new byte[] {1, 2, 3}, -1)));
            reqs.add(new Request(1, 0, session[0], ids, new Op.Delete(deleted, -1)));
            reqs.add(new Request(1, 0, session[0], ids, create("/p" + ((p + 11) % 20) + "/new" + i, 4)));
            position[0]++;
            writes.add(new RandomLog.Step(position[0], 1_700_000_000_000L + position[0],
                    new LogEntry(1, ++sequence[0], reqs)));
        }
        int during = writeWhileApplying(sm, codec, 25, writes, 1);
        try {
            codec.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(writes.size(), during, "every write went in while the snapshot was open");
        assertTrue(sm.digest() != digestAtStart);
        StateMachine.Loader loader = StateMachine.loader(CONFIG);
        SnapshotCodec.read(new ByteArrayInputStream(bytes.toByteArray()), loader);
        StateMachine restored = loader.finish();
        assertEquals(digestAtStart, restored.digest());
        assertEquals(4 + 20 + 20 * 500, restored.nodeCount());
        for (RandomLog.Step s : writes) {
            restored.apply(s.position(), s.time(), s.entry(), null);
        }
        assertEquals(sm.digest(), restored.digest());
    }

    private static Op create(String path, int size) {
        return new Op.Create(Op.OPCODE_CREATE, path, new byte[size], Acl.OPEN_ACL_UNSAFE, 0, -1);
    }

    @Test
    void writingAnImageWhileHoldingTheLockFailsInsteadOfDeadlocking() {
        StateMachine sm = new StateMachine(CONFIG);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sm.readLocked(() -> {
                    sm.writeImage(StateMachine.loader(CONFIG));
                    return null;
                }));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
    }
}
