package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The leak check that every TestServer runs when it closes does catch a leaked buffer. */
class LeakRecorderTest {
    @Test
    void leakedBufferIsReported() {
        LeakRecorder.assertNoLeaks();
        leak();
        try {
            assertThrows(AssertionFailedError.class, LeakRecorder::assertNoLeaks);
        } finally {
            LeakRecorder.clear();
        }
    }

    private static void leak() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42); // never released
    }
}
