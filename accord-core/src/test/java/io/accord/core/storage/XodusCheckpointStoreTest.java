package io.accord.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XodusCheckpointStoreTest extends CheckpointStoreContract {
    @TempDir
    Path dir;

    private static XodusCheckpointStore.Settings small() {
        return XodusCheckpointStore.Settings.defaults().withLogFileSizeKb(4 * 1024);
    }

    @Override
    protected CheckpointStore newStore() {
        return XodusCheckpointStore.open(dir.resolve("store"), small());
    }

    @Override
    protected CheckpointStore reopen(CheckpointStore current) {
        current.close();
        return XodusCheckpointStore.open(dir.resolve("store"), small());
    }

    @Override
    protected boolean persistent() {
        return true;
    }

    @Test
    void aStoreOfAnotherFormatVersionIsRefusedWithWhatToDo() {
        Path p = dir.resolve("old");
        XodusCheckpointStore.open(p, small()).close();
        Environment env = Environments.newInstance(p.toFile());
        env.executeInTransaction(txn -> env.openStore("meta", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn)
                .put(txn, new ArrayByteIterable("format".getBytes()), new ArrayByteIterable(new byte[] {2, 0, 0, 0})));
        env.close();
        CheckpointException e = assertThrows(CheckpointException.class, () -> XodusCheckpointStore.open(p, small()));
        assertTrue(e.getMessage().contains("format version 2 (expected: 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("move the directory away"), e.getMessage());
        // the refused open released the directory: opening it with Xodus again works
        Environments.newInstance(p.toFile()).close();
    }

    @Test
    void aXodusDirectoryWithForeignDataIsRefused() {
        Path p = dir.resolve("foreign");
        Environment env = Environments.newInstance(p.toFile());
        env.executeInTransaction(txn -> env.openStore("nodes", StoreConfig.WITHOUT_DUPLICATES, txn)
                .put(txn, new ArrayByteIterable(new byte[] {1}), new ArrayByteIterable(new byte[] {2})));
        env.close();
        CheckpointException e = assertThrows(CheckpointException.class, () -> XodusCheckpointStore.open(p, small()));
        assertTrue(e.getMessage().contains("no format record"), e.getMessage());
    }

    @Test
    void aStoreOpenElsewhereIsRefusedWithWhatToDo() {
        Path p = dir.resolve("locked");
        try (XodusCheckpointStore first = XodusCheckpointStore.open(p, small())) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> XodusCheckpointStore.open(p, small()));
            assertTrue(e.getMessage().contains("If another process holds it"), e.getMessage());
            assertEquals(CheckpointStore.EMPTY, first.appliedPosition());
        }
    }

    @Test
    void syncReportsTheCommittedPositionAndReopenKeepsIt() {
        XodusCheckpointStore s = XodusCheckpointStore.open(dir.resolve("sync"), small());
        store = s;
        ChangeSet c = new ChangeSet();
        c.nodePut(node("/", 0));
        c.meta(meta(77));
        s.apply(c);
        assertEquals(CheckpointStore.EMPTY, s.syncedPosition());
        assertEquals(77, s.sync());
        assertEquals(77, s.syncedPosition());
        assertEquals(1, s.nodeCount());
        s.close();
        store = XodusCheckpointStore.open(dir.resolve("sync"), small());
        assertEquals(77, store.appliedPosition());
    }
}
