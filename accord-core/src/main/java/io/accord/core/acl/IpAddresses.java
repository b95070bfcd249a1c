package io.accord.core.acl;

import java.util.Arrays;

/**
 * The {@code ip} ACL scheme (PROTOCOL.md 7.3): literal IPv4 and IPv6 addresses, optionally with a prefix length,
 * matched by prefix against the caller's address. Parsing is done here (never through {@code InetAddress}, which
 * could consult name services). Pure functions, thread-safe.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** {@code a.b.c.d}, {@code a.b.c.d/bits}, IPv6, IPv6/bits with bits within the address width. */
    public static boolean isValidAclExpression(String expr) {
        int slash = expr.indexOf('/');
        byte[] addr = parse(slash < 0 ? expr : expr.substring(0, slash));
        if (addr == null) {
            return false;
        }
        return slash < 0 || parseBits(expr.substring(slash + 1), addr.length * 8) >= 0;
    }

    /** Whether the caller's address {@code remote} lies in the ACL's {@code expr}. */
    public static boolean matches(String remote, String expr) {
        int slash = expr.indexOf('/');
        byte[] acl = parse(slash < 0 ? expr : expr.substring(0, slash));
        if (acl == null) {
            return false;
        }
        int bits = acl.length * 8;
        if (slash >= 0) {
            bits = parseBits(expr.substring(slash + 1), acl.length * 8);
            if (bits < 0) {
                return false;
            }
        }
        byte[] addr = parse(remote);
        if (addr == null || addr.length != acl.length) {
            return false;
        }
        mask(addr, bits);
        mask(acl, bits);
        return Arrays.equals(addr, acl);
    }

    private static int parseBits(String s, int max) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    private static void mask(byte[] b, int bits) {
        int full = bits / 8;
        int rest = bits % 8;
        if (full < b.length) {
            b[full] &= (byte) (0xFF << (8 - rest));
            for (int i = full + 1; i < b.length; i++) {
                b[i] = 0;
            }
        }
    }

    /** 4 bytes for IPv4, 16 for IPv6, or null when {@code s} is neither. */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            return parseV6(s);
        }
        return parseV4(s);
    }

    static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part >= 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    static byte[] parseV6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int headLen;
        int tailLen = 0;
        if (dbl < 0) {
            headLen = groups(s, head, true);
            if (headLen != 16) {
                return null;
            }
            return head;
        }
        headLen = dbl == 0 ? 0 : groups(s.substring(0, dbl), head, false);
        String after = s.substring(dbl + 2);
        if (!after.isEmpty()) {
            tailLen = groups(after, tail, true);
        }
        if (headLen < 0 || tailLen < 0 || headLen + tailLen > 14) {
            return null;
        }
        byte[] out = new byte[16];
        System.arraycopy(head, 0, out, 0, headLen);
        System.arraycopy(tail, 0, out, 16 - tailLen, tailLen);
        return out;
    }

    /** Parses ':'-separated hex groups (the last may be a dotted IPv4 when allowed); returns bytes written or -1. */
    private static int groups(String s, byte[] out, boolean v4Last) {
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (v4Last && i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = parseV4(p);
                if (v4 == null || n + 4 > 16) {
                    return -1;
                }
                System.arraycopy(v4, 0, out, n, 4);
                n += 4;
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n + 2 > 16) {
                return -1;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            out[n++] = (byte) (v >> 8);
            out[n++] = (byte) v;
        }
        return n;
    }
}
