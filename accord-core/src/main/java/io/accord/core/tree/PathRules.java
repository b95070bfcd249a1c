package io.accord.core.tree;

/**
 * ZooKeeper's path rules ({@code PathUtils.validatePath}, PROTOCOL.md 4.8), used by the write ops. Reads do not
 * validate: they just look the path up. Pure functions, thread-safe.
 */
public final class PathRules {
    private PathRules() {
    }

    /** Whether {@code path} is a valid absolute znode path. */
    public static boolean isValid(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int n = path.length();
        if (n == 1) {
            return true;
        }
        if (path.charAt(n - 1) == '/') {
            return false;
        }
        char last = '/';
        for (int i = 1; i < n; last = path.charAt(i), i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return false;
            }
            if (c == '/' && last == '/') {
                return false;
            }
            if (c == '.' && last == '.') {
                if (path.charAt(i - 2) == '/' && (i + 1 == n || path.charAt(i + 1) == '/')) {
                    return false;
                }
            } else if (c == '.') {
                if (path.charAt(i - 1) == '/' && (i + 1 == n || path.charAt(i + 1) == '/')) {
                    return false;
                }
            } else if (isForbidden(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isForbidden(char c) {
        return c > '\u0000' && c <= '\u001f'
                || c >= '\u007f' && c <= '\u009f'
                || c >= '\ud800' && c <= '\uf8ff'
                || c >= '\ufff0';
    }

    /** The parent path as ZooKeeper computes it: everything before the last '/', so "/a" gives "" (the root). */
    public static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    /** The path clients see for a parent: "" becomes "/". */
    public static String displayParent(String parentPath) {
        return parentPath.isEmpty() ? "/" : parentPath;
    }

    /** The four nodes that can never be deleted (→ BADARGUMENTS). */
    public static boolean isSpecial(String path) {
        return "/".equals(path) || "/zookeeper".equals(path) || "/zookeeper/quota".equals(path)
                || "/zookeeper/config".equals(path);
    }
}
