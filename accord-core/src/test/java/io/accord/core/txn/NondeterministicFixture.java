package io.accord.core.txn;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * Deliberately bad classes in an apply package, to prove that every clause of {@code DeterminismRulesTest}'s rule
 * fires: each nested class commits exactly one kind of nondeterminism and nothing else, and
 * {@link Deterministic} uses the close, allowed relatives of them, which the rule must let pass.
 */
public final class NondeterministicFixture {
    private NondeterministicFixture() {
    }

    /** Iterates in hash order. */
    public static final class UsesHashMap {
        public static Map<String, Long> bad() {
            return new HashMap<>();
        }
    }

    /** A constructor reference is a use too. */
    public static final class UsesHashSetThroughAMethodReference {
        public static Set<String> bad(List<String> names) {
            return names.stream().collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** Set.of iterates in an order salted per JVM run. */
    public static final class UsesSetOf {
        public static Set<String> bad() {
            return Set.of("a", "b", "c");
        }
    }

    /** Collectors.toSet builds a HashSet. */
    public static final class CollectsToSet {
        public static Set<String> bad(List<String> names) {
            return names.stream().collect(Collectors.toSet());
        }
    }

    /** Collectors.toMap without a map factory builds a HashMap. */
    public static final class CollectsToMap {
        public static Map<String, Integer> bad(List<String> names) {
            return names.stream().collect(Collectors.toMap(n -> n, String::length));
        }
    }

    /** Collectors.groupingBy without a map factory builds a HashMap. */
    public static final class CollectsGroupingBy {
        public static Map<Integer, List<String>> bad(List<String> names) {
            return names.stream().collect(Collectors.groupingBy(String::length));
        }
    }

    /** Reads the wall clock. */
    public static final class CallsCurrentTimeMillis {
        public static long bad() {
            return System.currentTimeMillis();
        }
    }

    public static final class CallsInstantNow {
        public static Instant bad() {
            return Instant.now();
        }
    }

    public static final class CallsLocalDateTimeNow {
        public static LocalDateTime bad() {
            return LocalDateTime.now();
        }
    }

    public static final class CallsLocalDateNow {
        public static LocalDate bad() {
            return LocalDate.now();
        }
    }

    public static final class CallsZonedDateTimeNow {
        public static ZonedDateTime bad() {
            return ZonedDateTime.now();
        }
    }

    /** Any clock, even one passed in: apply's only clock is the log time. */
    public static final class UsesClock {
        public static long bad(Clock clock) {
            return clock.millis();
        }
    }

    /** {@code new Date()} reads the wall clock. */
    public static final class ConstructsDate {
        public static Date bad() {
            return new Date();
        }
    }

    public static final class CallsMathRandom {
        public static double bad() {
            return Math.random();
        }
    }

    public static final class UsesSecureRandom {
        public static int bad() {
            return new SecureRandom().nextInt();
        }
    }

    /** A home-made subclass of Random is still randomness (a seeded one would differ per replica's history). */
    public static final class ExtendsRandom extends Random {
        private static final long serialVersionUID = 1L;
    }

    public static final class CallsRandomUuid {
        public static UUID bad() {
            return UUID.randomUUID();
        }
    }

    /** Differs per object and per JVM run. */
    public static final class CallsIdentityHashCode {
        public static int bad(Object o) {
            return System.identityHashCode(o);
        }
    }

    public static final class UsesThread {
        public static void bad(Runnable r) {
            new Thread(r).start();
        }
    }

    public static final class UsesExecutorService {
        public static void bad(ExecutorService pool, Runnable r) {
            pool.execute(r);
        }
    }

    public static final class UsesForkJoinPool {
        public static int bad() {
            return ForkJoinPool.commonPool().getParallelism();
        }
    }

    public static final class UsesCompletableFuture {
        public static Object bad() {
            return CompletableFuture.completedFuture("x").join();
        }
    }

    public static final class CallsParallelStream {
        public static long bad(List<String> names) {
            return names.parallelStream().count();
        }
    }

    public static final class MakesAStreamParallel {
        public static long bad(List<String> names) {
            return names.stream().parallel().count();
        }
    }

    public static final class CallsArraysParallelSort {
        public static void bad(int[] values) {
            Arrays.parallelSort(values);
        }
    }

    /** The allowed relatives: sorted collections, lists, map factories given explicitly, sequential streams. */
    public static final class Deterministic {
        public static Object fine(List<String> names, long logTimeMs) {
            Map<Integer, List<String>> byLength = names.stream()
                    .collect(Collectors.groupingBy(String::length, TreeMap::new, Collectors.toList()));
            Map<String, Integer> lengths = names.stream()
                    .collect(Collectors.toMap(n -> n, String::length, Integer::sum, TreeMap::new));
            Set<String> sorted = names.stream().collect(Collectors.toCollection(TreeSet::new));
            List<String> copy = new ArrayList<>(List.of("a", "b"));
            copy.addAll(List.copyOf(names));
            int[] values = {3, 1, 2};
            Arrays.sort(values);
            return List.of(byLength, lengths, sorted, copy, Instant.ofEpochMilli(logTimeMs), values);
        }
    }
}
