package io.accord.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's data directory, held exclusively while the member runs:
 *
 * <pre>
 *  dataDir/member.lock   OS file lock + the owner's PID (released by the OS when the process dies, even kill -9)
 *  dataDir/cluster/      consensus module and service container (recording.log, node-state, mark files)
 *  dataDir/archive/      the Aeron archive: the replicated log and the snapshots
 *  dataDir/xodus/        the Xodus checkpoint store (persistent mode)
 * </pre>
 *
 * <h2>Mark files after kill -9</h2>
 * Aeron refuses to start for 10 s after its owner was killed ({@code active mark file detected}). Holding the
 * lock proves that no live process owns this directory (the lock is released by the OS when its holder dies), so
 * the mark files left behind are stale and are removed, with a log line naming the dead PID. If the lock is held
 * by a live process, opening fails with a message naming that PID instead.
 */
final class MemberDirs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberDirs.class);
    static final String LOCK_FILE = "member.lock";

    final Path dataDir;
    final Path clusterDir;
    final Path archiveDir;
    final Path xodusDir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private MemberDirs(Path dataDir, FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.clusterDir = dataDir.resolve("cluster");
        this.archiveDir = dataDir.resolve("archive");
        this.xodusDir = dataDir.resolve("xodus");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directories, takes the lock and removes stale Aeron mark files.
     *
     * @throws IllegalStateException if another live process (or another member in this JVM) holds the directory
     */
    static MemberDirs lock(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path lockFile = dataDir.resolve(LOCK_FILE);
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            String previousOwner = readOwner(ch);
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("data dir " + dataDir + " is in use by a running member (pid "
                        + previousOwner + "): stop it first, or give this member another data dir");
            }
            long pid = ProcessHandle.current().pid();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(pid).getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            MemberDirs dirs = new MemberDirs(dataDir, ch, lock);
            Files.createDirectories(dirs.clusterDir);
            Files.createDirectories(dirs.archiveDir);
            dirs.removeStaleMarkFiles(previousOwner);
            return dirs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data dir " + dataDir, e);
        }
    }

    private static String readOwner(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        return n <= 0 ? "unknown" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
    }

    /** The mark files Aeron leaves in the cluster and archive dirs (AERON.md section 6, bug 3). */
    List<Path> markFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(clusterDir, archiveDir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*-mark*.dat")) {
                s.forEach(found::add);
            }
        }
        return found;
    }

    private void removeStaleMarkFiles(String previousOwner) throws IOException {
        List<Path> marks = markFiles();
        if (marks.isEmpty()) {
            return;
        }
        boolean sameProcess = previousOwner.equals(Long.toString(ProcessHandle.current().pid()));
        LOG.info("removing {} Aeron mark file(s) left by the previous owner of {} (pid {}, {}): {}", marks.size(),
                dataDir, previousOwner, sameProcess ? "this process, closed" : "no longer running", marks);
        for (Path p : marks) {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("releasing the lock of {} failed", dataDir, e);
        }
    }
}
