package io.accord.zk.codec;

import java.util.Set;

/**
 * A four-letter-word command (ZooKeeper's {@code FourLetterCommands}) found in the first 4 bytes of a new
 * connection. {@code stmk} carries an 8-byte argument.
 */
public record FourLetterWord(String word, long argument) {
    /** The words ZooKeeper 3.9 knows. */
    public static final Set<String> KNOWN = Set.of("conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok",
            "stmk", "srst", "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro", "hash");

    /** The word encoded in a frame length, or null if the int is not a known word. */
    public static String wordOf(int firstInt) {
        char[] chars = new char[4];
        for (int i = 0; i < 4; i++) {
            int b = (firstInt >>> (24 - 8 * i)) & 0xff;
            if (b < 'a' || b > 'z') {
                return null;
            }
            chars[i] = (char) b;
        }
        String word = new String(chars);
        return KNOWN.contains(word) ? word : null;
    }
}
