package io.accord.cluster;

import io.aeron.archive.checksum.Checksum;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * CRC32C of each recorded archive frame, for {@code Archive.Context.recordChecksum}. Aeron's own
 * {@code Checksums.crc32c()} reflects into {@code java.util.zip} and would need one more {@code --add-opens} on
 * every JVM; this one copies the frame's payload into a scratch array and uses the public {@link CRC32C}, which
 * costs one copy per recorded frame.
 *
 * <p>Threading: {@link #compute} is synchronized (the archive's recorder and, at start, its catalog call it).
 */
final class RecordChecksum implements Checksum {
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[4096];

    @Override
    public synchronized int compute(long address, int offset, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        view.wrap(address + offset, length);
        view.getBytes(0, scratch, 0, length);
        crc.reset();
        crc.update(scratch, 0, length);
        return (int) crc.getValue();
    }
}
