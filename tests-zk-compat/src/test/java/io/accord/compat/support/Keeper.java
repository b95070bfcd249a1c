package io.accord.compat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;

/** Small assertion helpers around the real client's results. */
public final class Keeper {

    private Keeper() {
    }

    /** A call that may throw a {@link KeeperException}. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}, which must fail with a {@link KeeperException}, and returns its code. */
    public static Code codeOf(Call call) throws InterruptedException {
        try {
            call.run();
        } catch (KeeperException e) {
            return e.code();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("expected a KeeperException, got " + e, e);
        }
        return fail("expected a KeeperException, but the call succeeded");
    }

    /** Asserts that {@code call} fails with {@code expected}. */
    public static void assertCode(Code expected, Call call) throws InterruptedException {
        assertEquals(expected, codeOf(call));
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static List<String> sorted(List<String> children) {
        List<String> copy = new ArrayList<>(children);
        Collections.sort(copy);
        return copy;
    }

    /** A copy, since the client fills the Stat objects it is given. */
    public static Stat copy(Stat s) {
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
            s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }
}
