package io.accord.core.txn;

import java.util.HashMap;
import java.util.Map;

/** A deliberately bad class in an apply package, to prove {@code DeterminismRulesTest}'s rule can fail. */
public final class NondeterministicFixture {
    private NondeterministicFixture() {
    }

    public static Map<String, Long> bad() {
        Map<String, Long> m = new HashMap<>();
        m.put("t", System.currentTimeMillis());
        return m;
    }
}
