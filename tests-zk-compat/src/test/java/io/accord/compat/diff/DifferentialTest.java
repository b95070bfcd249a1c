package io.accord.compat.diff;

import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.accord.compat.Targets;
import io.accord.compat.Targets.TargetPair;

/**
 * Differential test: the same seeded random operations against the reference (real ZooKeeper) and each
 * target of {@link Targets#pairs()}, compared step by step ({@link Lockstep}).
 *
 * <p>System properties: {@code diff.seeds} (number of seeds, default 8), {@code diff.steps} (steps per
 * seed, default 250), {@code diff.seedBase} (first seed, default 1), {@code diff.seed} (run just this
 * seed, e.g. to replay a failure).
 */
class DifferentialTest {

    static Stream<Arguments> cases() {
        String single = System.getProperty("diff.seed");
        LongStream seeds = single != null
            ? LongStream.of(Long.parseLong(single))
            : LongStream.range(0, Long.getLong("diff.seeds", 8)).map(i -> Long.getLong("diff.seedBase", 1) + i);
        long[] list = seeds.toArray();
        return Targets.pairs().flatMap(pair -> LongStream.of(list).mapToObj(seed -> Arguments.of(pair, seed)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void subjectBehavesLikeTheReference(TargetPair pair, long seed) throws Exception {
        System.out.println(Lockstep.run(pair, seed, Integer.getInteger("diff.steps", 250), (step, subject) -> { }));
    }
}
