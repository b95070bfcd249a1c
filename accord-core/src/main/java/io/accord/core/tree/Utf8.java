package io.accord.core.tree;

import java.util.Arrays;

/**
 * UTF-8 helpers for paths. Unlike {@link String#getBytes}, {@link #encode} refuses surrogates instead of turning
 * them into '?', so a malformed read path can never match a stored name. Thread-safe, allocates one array.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The UTF-8 bytes of {@code s}, or null if it holds a surrogate (never part of a valid znode path). */
    public static byte[] encode(String s) {
        int n = s.length();
        byte[] out = new byte[n];
        int j = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (j == out.length) {
                    out = Arrays.copyOf(out, out.length * 2 + 3);
                }
                out[j++] = (byte) c;
                continue;
            }
            if (c >= 0xD800 && c <= 0xDFFF) {
                return null;
            }
            if (j + 3 > out.length) {
                out = Arrays.copyOf(out, out.length * 2 + 3);
            }
            if (c < 0x800) {
                out[j++] = (byte) (0xC0 | (c >> 6));
                out[j++] = (byte) (0x80 | (c & 0x3F));
            } else {
                out[j++] = (byte) (0xE0 | (c >> 12));
                out[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[j++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return j == out.length ? out : Arrays.copyOf(out, j);
    }
}
