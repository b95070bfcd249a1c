package io.accord.zk.server;

import java.util.concurrent.TimeUnit;

/** Waits for a condition that the server reaches asynchronously (polling every 10 ms). */
final class Await {
    private Await() {
    }

    /** A condition that may throw while it is checked. */
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once the condition holds; fails after 30 s with {@code what}. */
    static void until(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
