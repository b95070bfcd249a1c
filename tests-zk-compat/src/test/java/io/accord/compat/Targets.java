package io.accord.compat;

import java.util.List;
import java.util.stream.Stream;

/**
 * The servers every compatibility suite runs against.
 *
 * <p>{@link #TARGETS} is the one place to add a target: each parameterized suite
 * ({@code @MethodSource("io.accord.compat.Targets#all")}) then runs once per entry, and the
 * differential test compares each entry against {@link #REFERENCE}.
 */
public final class Targets {

    /** The oracle: a real ZooKeeper 3.9.5 standalone server in this JVM. */
    public static final TargetFactory REFERENCE = TargetFactory.of("zookeeper-3.9.5", RealZooKeeperTarget::new);

    /** Every target the suites run against. */
    private static final List<TargetFactory> TARGETS =
            List.of(REFERENCE, TargetFactory.of("accord-1node", AccordTarget::new),
                    TargetFactory.of("accord-3node", AccordEnsembleTarget::new));

    private Targets() {
    }

    /** Source for {@code @ParameterizedTest}/{@code @ParameterizedClass}: one argument per target. */
    public static Stream<TargetFactory> all() {
        return TARGETS.stream();
    }

    /**
     * Pairs for the differential test: the reference against every other target. While the reference
     * is the only target, it runs against a second, independent instance of itself, which checks that
     * the framework is deterministic (no false divergences).
     */
    public static Stream<TargetPair> pairs() {
        List<TargetFactory> subjects = TARGETS.stream().filter(t -> t != REFERENCE).toList();
        return (subjects.isEmpty() ? List.of(REFERENCE) : subjects).stream().map(subject -> new TargetPair(REFERENCE, subject));
    }

    /** A reference and a subject run in lockstep by the differential test. */
    public record TargetPair(TargetFactory reference, TargetFactory subject) {
        @Override
        public String toString() {
            return reference.name() + " vs " + subject.name();
        }
    }
}
