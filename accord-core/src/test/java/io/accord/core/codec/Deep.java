package io.accord.core.codec;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Structural equality for records that hold arrays (which records compare by reference). */
public final class Deep {
    private Deep() {
    }

    public static void assertDeepEquals(Object expected, Object actual) {
        String diff = diff(expected, actual, "");
        if (diff != null) {
            fail(diff);
        }
    }

    public static boolean deepEquals(Object expected, Object actual) {
        return diff(expected, actual, "") == null;
    }

    private static String diff(Object e, Object a, String at) {
        if (e == null || a == null) {
            return e == a ? null : at + ": expected " + e + " but was " + a;
        }
        if (e instanceof byte[] eb && a instanceof byte[] ab) {
            return Arrays.equals(eb, ab) ? null : at + ": expected " + Arrays.toString(eb) + " but was " + Arrays.toString(ab);
        }
        if (e instanceof long[] el && a instanceof long[] al) {
            return Arrays.equals(el, al) ? null : at + ": expected " + Arrays.toString(el) + " but was " + Arrays.toString(al);
        }
        if (e instanceof List<?> el && a instanceof List<?> al) {
            if (el.size() != al.size()) {
                return at + ": expected size " + el.size() + " but was " + al.size();
            }
            for (int i = 0; i < el.size(); i++) {
                String d = diff(el.get(i), al.get(i), at + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (e instanceof Map<?, ?> em && a instanceof Map<?, ?> am) {
            return em.equals(am) ? null : at + ": expected " + em + " but was " + am;
        }
        if (e.getClass().isRecord()) {
            if (e.getClass() != a.getClass()) {
                return at + ": expected " + e.getClass().getSimpleName() + " but was " + a.getClass().getSimpleName();
            }
            for (RecordComponent c : e.getClass().getRecordComponents()) {
                try {
                    String d = diff(c.getAccessor().invoke(e), c.getAccessor().invoke(a), at + "." + c.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException x) {
                    throw new AssertionError(x);
                }
            }
            return null;
        }
        return Objects.equals(e, a) ? null : at + ": expected " + e + " but was " + a;
    }
}
