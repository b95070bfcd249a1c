package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.core.codec.CorruptDataException;
import io.accord.core.codec.LogEntryCodec;
import io.accord.core.txn.LogEntry;
import io.aeron.cluster.client.AeronCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A log entry that does not decode stops the member's applying instead of letting replicas diverge. */
class CorruptEntryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCorruptEntryStopsApplyingAndServingWithAClearError() {
        try (TestCluster c = TestCluster.of(1, StorageMode.MEMORY)) {
            AeronReplicationPort port = c.start(1);
            c.awaitServing(WAIT);
            long ok = c.submitCreate(1, "/good", WAIT);
            c.awaitApplied(1, ok, WAIT);
            assertNull(port.failure());

            byte[] frame = LogEntryCodec.encode(new LogEntry(9, 1, List.of(TestCluster.create(9, 1, 0, "/bad",
                    new byte[] {1, 2, 3}))));
            frame[frame.length - 2] ^= 0x40; // one flipped bit in the body: the CRC no longer matches
            try (AeronCluster raw = AeronCluster.connect(MemberLauncher.clientContext(port.context())
                    .aeronDirectoryName(port.context().aeronDirectoryName()))) {
                UnsafeBuffer buffer = new UnsafeBuffer(frame);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (raw.offer(buffer, 0, frame.length) < 0) {
                    assertTrue(System.nanoTime() < deadline, "could not offer the corrupt entry");
                    raw.pollEgress();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                TestCluster.await(() -> port.failure() != null, WAIT, () -> "the member kept applying");
            }
            assertTrue(port.failure() instanceof CorruptDataException, String.valueOf(port.failure()));
            assertTrue(port.failure().getMessage().contains("crc mismatch"), port.failure().getMessage());
            long position = port.replica().appliedPosition();
            long ticks = port.stats().ticksApplied();
            assertFalse(port.serving());
            assertFalse(port.submit(TestCluster.create(1, 99, 0, "/refused", new byte[0])));
            assertNull(port.replica().statOf("/bad"));
            // Time passes and the timer keeps firing in the log, but nothing more is applied.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(4 * port.context().tickIntervalMs()));
            assertEquals(position, port.replica().appliedPosition());
            assertEquals(ticks, port.stats().ticksApplied());
        }
    }
}
