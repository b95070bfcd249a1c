package io.accord.tools.bench;

import java.util.Locale;

/** What each request of {@code accord bench} does. */
public enum Workload {
    /** setData of the value on the session's own znode. */
    SET,
    /** create a PERSISTENT_SEQUENTIAL child of the session's znode, then delete it (two requests). */
    CREATE,
    /** getData of the session's znode. */
    GET,
    /** getData ({@code --read-pct} of the requests) or setData on the session's znode. */
    MIXED,
    /** multi of check (the version the session expects) and setData on the session's znode. */
    MULTI;

    /** The name on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The workload a command-line name stands for, or null. */
    public static Workload of(String label) {
        for (Workload w : values()) {
            if (w.label().equals(label)) {
                return w;
            }
        }
        return null;
    }

    /** Whether this workload changes the session's znode (its version then counts the successful writes). */
    public boolean writesSessionNode() {
        return this == SET || this == MIXED || this == MULTI;
    }
}
