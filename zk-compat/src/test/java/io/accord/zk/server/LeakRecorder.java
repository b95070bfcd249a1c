package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's "LEAK:" reports (logged by ResourceLeakDetector; tests run with paranoid detection), so that a
 * test can fail when a buffer was never released.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK:")) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    /** Forgets the reports so far (only for the test that leaks on purpose). */
    static void clear() {
        LEAKS.clear();
    }

    /** Collects garbage, lets the detector report what it found, and fails if anything leaked. */
    static void assertNoLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 200; i++) { // each allocation polls the detector's queue
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
        assertEquals(List.of(), LEAKS, "Netty reported leaked buffers");
    }
}
