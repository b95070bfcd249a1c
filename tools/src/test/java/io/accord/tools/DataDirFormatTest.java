package io.accord.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.tools.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirFormatTest {
    @TempDir
    Path dir;

    private Properties recorded(Path dataDir) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dataDir.resolve(DataDirFormat.FILE))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theFirstStartRecordsModeAndFormatAndTheSameModeStartsAgain() throws IOException {
        Path data = dir.resolve("new").resolve("data");
        DataDirFormat.checkAndRecord(data, true);
        Properties p = recorded(data);
        assertEquals("memory", p.getProperty("accord.mode"));
        assertEquals(Integer.toString(DataDirFormat.FORMAT), p.getProperty("accord.format"));
        DataDirFormat.checkAndRecord(data, true);
        assertEquals(p, recorded(data));
    }

    @Test
    void theOtherModeIsRefusedSayingWhatToDo() {
        DataDirFormat.checkAndRecord(dir, true);
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(dir, false));
        assertEquals("dataDir " + dir.toAbsolutePath() + " was written in memory mode; start with "
                + "accord.mode=memory or use another dataDir", e.getMessage());

        Path persistent = dir.resolve("p");
        DataDirFormat.checkAndRecord(persistent, false);
        e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(persistent, true));
        assertTrue(e.getMessage().endsWith("was written in persistent mode; start with accord.mode=persistent or "
                + "use another dataDir"), e.getMessage());
    }

    @Test
    void aDirWrittenBeforeModesWereRecordedIsJudgedByItsXodusStore() throws IOException {
        Path persistent = dir.resolve("persistent");
        Files.createDirectories(persistent.resolve("archive"));
        Files.createDirectories(persistent.resolve("xodus"));
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(persistent, true));
        assertTrue(e.getMessage().endsWith("was written in persistent mode; start with accord.mode=persistent or "
                + "use another dataDir"), e.getMessage());
        DataDirFormat.checkAndRecord(persistent, false);
        assertEquals("persistent", recorded(persistent).getProperty("accord.mode"));

        Path memory = dir.resolve("memory");
        Files.createDirectories(memory.resolve("archive"));
        e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(memory, false));
        assertTrue(e.getMessage().endsWith("was written in memory mode; start with accord.mode=memory or "
                + "use another dataDir"), e.getMessage());
        DataDirFormat.checkAndRecord(memory, true);
        assertEquals("memory", recorded(memory).getProperty("accord.mode"));
    }

    @Test
    void aDirOfTheOlderFormatStartsAndIsRecordedInTheCurrentOne() throws IOException {
        Files.writeString(dir.resolve(DataDirFormat.FILE), "accord.mode=persistent\naccord.format=1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(dir, true));
        assertTrue(e.getMessage().endsWith("was written in persistent mode; start with accord.mode=persistent or "
                + "use another dataDir"), e.getMessage());
        assertEquals("1", recorded(dir).getProperty("accord.format"), "a refused start records nothing");
        DataDirFormat.checkAndRecord(dir, false);
        assertEquals("persistent", recorded(dir).getProperty("accord.mode"));
        assertEquals("2", recorded(dir).getProperty("accord.format"), "new log entries are written in format 2");
    }

    @Test
    void aNewerFormatOrADamagedRecordIsRefused() throws IOException {
        Files.writeString(dir.resolve(DataDirFormat.FILE), "accord.mode=persistent\naccord.format="
                + (DataDirFormat.FORMAT + 1) + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(dir, false));
        assertTrue(e.getMessage().contains("was written in data format " + (DataDirFormat.FORMAT + 1)
                + " by a newer Accord"), e.getMessage());

        Files.writeString(dir.resolve(DataDirFormat.FILE), "accord.mode=fast\naccord.format=1\n");
        e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(dir, false));
        assertTrue(e.getMessage().contains("accord.mode is 'fast'"), e.getMessage());

        Files.writeString(dir.resolve(DataDirFormat.FILE), "accord.mode=persistent\n");
        e = assertThrows(ConfigException.class, () -> DataDirFormat.checkAndRecord(dir, false));
        assertTrue(e.getMessage().contains("accord.format is ''"), e.getMessage());
    }
}
