package io.accord.tools;

import io.accord.tools.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The small file {@value #FILE} in a node's dataDir that says how the data in it was written: {@code accord.mode}
 * (persistent or memory) and {@code accord.format} (the layout version). Written on the first start; a later start
 * in the other mode, or by an Accord that does not know the format, is refused with a message saying what to do,
 * instead of misreading the directory.
 */
final class DataDirFormat {
    static final String FILE = "accord-data.properties";
    /**
     * The layout this version writes; it reads this one and older ones. 2: log entries in the codec's schema
     * version 2, which an Accord of format 1 cannot decode. A directory of an older format is recorded as this one
     * on the first start, as new entries will be written in it, so that an older Accord refuses it at start
     * instead of failing at the first new entry.
     */
    static final int FORMAT = 2;
    static final String MODE_KEY = "accord.mode";
    static final String FORMAT_KEY = "accord.format";

    private DataDirFormat() {
    }

    /**
     * Checks {@code dataDir} against the mode this node starts in, recording mode and format when the directory
     * has no record yet.
     *
     * @throws ConfigException when the directory was written in the other mode or in a newer, unknown format
     */
    static void checkAndRecord(Path dataDir, boolean memoryMode) {
        String mode = memoryMode ? "memory" : "persistent";
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            // A dir from before modes were recorded: persistent mode always has xodus/ beside the Aeron archive.
            boolean archive = Files.isDirectory(dataDir.resolve("archive"));
            boolean xodus = Files.isDirectory(dataDir.resolve("xodus"));
            if (memoryMode && xodus || !memoryMode && archive && !xodus) {
                String written = xodus ? "persistent" : "memory";
                throw new ConfigException("dataDir " + dataDir.toAbsolutePath() + " was written in " + written
                        + " mode; start with accord.mode=" + written + " or use another dataDir");
            }
            write(dataDir, file, mode);
            return;
        }
        Properties p = read(file);
        String formatText = p.getProperty(FORMAT_KEY, "").trim();
        int format;
        try {
            format = Integer.parseInt(formatText);
        } catch (NumberFormatException e) {
            throw new ConfigException(file.toAbsolutePath() + ": " + FORMAT_KEY + " is '" + formatText
                    + "' (expected: a whole number); this file records how the data dir was written, restore it or "
                    + "use another dataDir");
        }
        if (format > FORMAT) {
            throw new ConfigException("dataDir " + dataDir.toAbsolutePath() + " was written in data format " + format
                    + " by a newer Accord; this Accord reads format " + FORMAT + " and older: run the newer Accord "
                    + "or use another dataDir");
        }
        if (format < 1) {
            throw new ConfigException(file.toAbsolutePath() + ": " + FORMAT_KEY + " " + format
                    + " (expected: 1 or more)");
        }
        String written = p.getProperty(MODE_KEY, "").trim();
        if (!written.equals("memory") && !written.equals("persistent")) {
            throw new ConfigException(file.toAbsolutePath() + ": " + MODE_KEY + " is '" + written
                    + "' (expected: persistent or memory); restore the file or use another dataDir");
        }
        if (!written.equals(mode)) {
            throw new ConfigException("dataDir " + dataDir.toAbsolutePath() + " was written in " + written
                    + " mode; start with accord.mode=" + written + " or use another dataDir");
        }
        if (format < FORMAT) {
            write(dataDir, file, mode);
        }
    }

    /** The mode recorded in {@code dataDir} as written ({@code memory}, {@code persistent}), or null if none. */
    static String recordedMode(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        return Files.exists(file) ? read(file).getProperty(MODE_KEY, "").trim() : null;
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        return p;
    }

    private static void write(Path dataDir, Path file, String mode) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                out.write("# How Accord wrote this data dir; a start in another mode is refused.\n");
                out.write(MODE_KEY + "=" + mode + "\n");
                out.write(FORMAT_KEY + "=" + FORMAT + "\n");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }
}
