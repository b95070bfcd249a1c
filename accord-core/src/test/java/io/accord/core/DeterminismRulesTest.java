package io.accord.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.accord.core.txn.NondeterministicFixture;
import java.time.InstantSource;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Timer;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.BaseStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Requirement 11 (DESIGN.md "apply never reads the clock, random numbers ..."): the apply packages use no hash-ordered
 * collections, randomness, clocks or threads. Enforced on bytecode with ArchUnit, one rule per kind; each part of
 * each rule is proved to fire by one class of {@link NondeterministicFixture}.
 */
class DeterminismRulesTest {
    /**
     * What every replica runs identically: the state machine, and the codecs that decode the log entries it applies
     * and write the snapshots it is restored from. Not here: storage (the checkpointer's threads), port (the local
     * replicator's threads), which run beside apply, and image, whose {@code ImageCapture} keys an IdentityHashMap
     * by node for point lookups only (never iterated, so its order cannot leak).
     */
    private static final String[] APPLY_PACKAGES = {"io.accord.core", "io.accord.core.tree..", "io.accord.core.acl..",
        "io.accord.core.session..", "io.accord.core.txn..", "io.accord.core.codec.."};

    private static DescribedPredicate<JavaMethodCall> calls(String description,
            BiPredicate<JavaClass, String> ownerAndName, boolean exemptWithAFactory) {
        return new DescribedPredicate<>(description) {
            @Override
            public boolean test(JavaMethodCall call) {
                boolean factoryGiven = call.getTarget().getRawParameterTypes().stream()
                        .anyMatch(t -> t.isEquivalentTo(Supplier.class));
                return ownerAndName.test(call.getTarget().getOwner(), call.getTarget().getName())
                        && !(exemptWithAFactory && factoryGiven);
            }
        };
    }

    private static DescribedPredicate<JavaClass> anyAssignableTo(Class<?>... types) {
        DescribedPredicate<JavaClass> p = assignableTo(types[0]);
        for (int i = 1; i < types.length; i++) {
            p = p.or(assignableTo(types[i]));
        }
        return p;
    }

    private static boolean isAny(String name, String... names) {
        return List.of(names).contains(name);
    }

    /** Set.of / Map.of / copyOf iterate in an order salted per JVM run. */
    private static final DescribedPredicate<JavaMethodCall> SALTED_FACTORIES = calls(
            "Set/Map factories (iteration order salted per JVM)",
            (owner, name) -> (owner.isEquivalentTo(java.util.Set.class) || owner.isEquivalentTo(java.util.Map.class))
                    && isAny(name, "of", "copyOf", "ofEntries"), false);

    /** Collectors that build a HashSet/HashMap or a salted immutable set or map. */
    private static final DescribedPredicate<JavaMethodCall> HASHING_COLLECTORS = calls(
            "Collectors.toSet/toUnmodifiableSet/toUnmodifiableMap (hash-ordered or salted)",
            (owner, name) -> owner.isEquivalentTo(Collectors.class)
                    && isAny(name, "toSet", "toUnmodifiableSet", "toUnmodifiableMap"), false)
            .or(calls("Collectors.toMap/toConcurrentMap/groupingBy/groupingByConcurrent without a map factory",
                    (owner, name) -> owner.isEquivalentTo(Collectors.class)
                            && isAny(name, "toMap", "toConcurrentMap", "groupingBy", "groupingByConcurrent"), true));

    /** Static {@code now(...)} of any java.time type: LocalDateTime.now, ZonedDateTime.now, Year.now, ... */
    private static final DescribedPredicate<JavaMethodCall> JAVA_TIME_NOW = calls("java.time now()",
            (owner, name) -> owner.getPackageName().startsWith("java.time") && name.equals("now"), false);

    /** Streams and array operations that run on the common fork-join pool. */
    private static final DescribedPredicate<JavaMethodCall> PARALLEL = calls(
            "parallelStream(), BaseStream.parallel(), Arrays.parallel*",
            (owner, name) -> name.equals("parallelStream")
                    || name.equals("parallel") && owner.isAssignableTo(BaseStream.class)
                    || owner.isEquivalentTo(java.util.Arrays.class) && name.startsWith("parallel"), false);

    static final ArchRule HASH_ORDER = noClasses().that().resideInAnyPackage(APPLY_PACKAGES)
            .should().dependOnClassesThat(anyAssignableTo(HashMap.class, HashSet.class, Hashtable.class,
                    IdentityHashMap.class, WeakHashMap.class, ConcurrentHashMap.class))
            .orShould().callMethodWhere(SALTED_FACTORIES)
            .orShould().callMethodWhere(HASHING_COLLECTORS)
            .orShould().callMethod(System.class, "identityHashCode", Object.class)
            .because("hash order follows hash codes, some of which differ per object and per JVM run");

    static final ArchRule RANDOMNESS = noClasses().that().resideInAnyPackage(APPLY_PACKAGES)
            .should().dependOnClassesThat(assignableTo(RandomGenerator.class))
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .orShould().callMethod(UUID.class, "randomUUID")
            .because("random numbers differ per replica (Random, SecureRandom, ThreadLocalRandom, SplittableRandom "
                    + "and every other RandomGenerator)");

    static final ArchRule CLOCKS = noClasses().that().resideInAnyPackage(APPLY_PACKAGES)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(JAVA_TIME_NOW)
            .orShould().dependOnClassesThat(assignableTo(InstantSource.class))
            .orShould().callConstructor(Date.class)
            .because("the log time is apply's only clock");

    static final ArchRule THREADS = noClasses().that().resideInAnyPackage(APPLY_PACKAGES)
            .should().dependOnClassesThat(anyAssignableTo(Thread.class, java.util.concurrent.Executor.class,
                    Executors.class, Future.class, CompletionStage.class, Timer.class))
            .orShould().callMethodWhere(PARALLEL)
            .because("apply runs on one thread, in log order (ExecutorService, ForkJoinPool, CompletableFuture, "
                    + "parallel streams and threads would interleave differently per replica)");

    static final List<ArchRule> CLAUSES = List.of(HASH_ORDER, RANDOMNESS, CLOCKS, THREADS);

    static final ArchRule NO_NONDETERMINISM = CompositeArchRule.of(CLAUSES)
            .because("every replica must compute the same state from the same log");

    /** A fixture, the one rule that must catch it, and text its violation report must contain. */
    private record Case(Class<?> fixture, ArchRule clause, String evidence) {
    }

    private static final List<Case> CASES = List.of(
            new Case(NondeterministicFixture.UsesHashMap.class, HASH_ORDER, "java.util.HashMap.<init>()"),
            new Case(NondeterministicFixture.UsesHashSetThroughAMethodReference.class, HASH_ORDER,
                    "java.util.HashSet.<init>()"),
            new Case(NondeterministicFixture.UsesSetOf.class, HASH_ORDER, "java.util.Set.of("),
            new Case(NondeterministicFixture.CollectsToSet.class, HASH_ORDER, "java.util.stream.Collectors.toSet()"),
            new Case(NondeterministicFixture.CollectsToMap.class, HASH_ORDER, "java.util.stream.Collectors.toMap("),
            new Case(NondeterministicFixture.CollectsGroupingBy.class, HASH_ORDER,
                    "java.util.stream.Collectors.groupingBy("),
            new Case(NondeterministicFixture.CallsIdentityHashCode.class, HASH_ORDER,
                    "java.lang.System.identityHashCode("),
            new Case(NondeterministicFixture.CallsMathRandom.class, RANDOMNESS, "java.lang.Math.random()"),
            new Case(NondeterministicFixture.UsesSecureRandom.class, RANDOMNESS, "java.security.SecureRandom"),
            new Case(NondeterministicFixture.ExtendsRandom.class, RANDOMNESS, "java.util.Random"),
            new Case(NondeterministicFixture.CallsRandomUuid.class, RANDOMNESS, "java.util.UUID.randomUUID()"),
            new Case(NondeterministicFixture.CallsCurrentTimeMillis.class, CLOCKS,
                    "java.lang.System.currentTimeMillis()"),
            new Case(NondeterministicFixture.CallsInstantNow.class, CLOCKS, "java.time.Instant.now()"),
            new Case(NondeterministicFixture.CallsLocalDateTimeNow.class, CLOCKS, "java.time.LocalDateTime.now()"),
            new Case(NondeterministicFixture.CallsLocalDateNow.class, CLOCKS, "java.time.LocalDate.now()"),
            new Case(NondeterministicFixture.CallsZonedDateTimeNow.class, CLOCKS, "java.time.ZonedDateTime.now()"),
            new Case(NondeterministicFixture.UsesClock.class, CLOCKS, "java.time.Clock"),
            new Case(NondeterministicFixture.ConstructsDate.class, CLOCKS, "java.util.Date.<init>()"),
            new Case(NondeterministicFixture.UsesThread.class, THREADS, "java.lang.Thread"),
            new Case(NondeterministicFixture.UsesExecutorService.class, THREADS,
                    "java.util.concurrent.ExecutorService"),
            new Case(NondeterministicFixture.UsesForkJoinPool.class, THREADS, "java.util.concurrent.ForkJoinPool"),
            new Case(NondeterministicFixture.UsesCompletableFuture.class, THREADS,
                    "java.util.concurrent.CompletableFuture"),
            new Case(NondeterministicFixture.CallsParallelStream.class, THREADS, "parallelStream()"),
            new Case(NondeterministicFixture.MakesAStreamParallel.class, THREADS, "parallel()"),
            new Case(NondeterministicFixture.CallsArraysParallelSort.class, THREADS,
                    "java.util.Arrays.parallelSort("));

    @Test
    void applyPackagesAreDeterministic() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.accord.core");
        assertTrue(main.contain(StateMachine.class));
        NO_NONDETERMINISM.check(main);
    }

    @Test
    void theRuleCatchesAViolation() {
        JavaClasses fixtures = new ClassFileImporter()
                .importClasses(CASES.stream().map(Case::fixture).toArray(Class<?>[]::new));
        for (Case c : CASES) {
            JavaClasses bad = fixtures.that(JavaClass.Predicates.equivalentTo(c.fixture()));
            assertEquals(1, bad.size());
            EvaluationResult result = NO_NONDETERMINISM.evaluate(bad);
            String name = c.fixture().getSimpleName();
            assertTrue(result.hasViolation(), name + " passed the rule");
            String report = String.join("\n", result.getFailureReport().getDetails());
            assertTrue(report.contains(c.evidence()), name + ": " + report);
            // each fixture is caught by its own rule and by no other: every rule fires on its own
            for (ArchRule clause : CLAUSES) {
                assertEquals(clause == c.clause(), clause.evaluate(bad).hasViolation(),
                        name + " against " + clause.getDescription());
            }
        }
        JavaClasses good = new ClassFileImporter().importClasses(CoreConfig.class,
                NondeterministicFixture.Deterministic.class);
        assertFalse(NO_NONDETERMINISM.evaluate(good).hasViolation(),
                () -> String.join("\n", NO_NONDETERMINISM.evaluate(good).getFailureReport().getDetails()));
    }

    @Test
    void everyFixtureIsCheckedByTheRule() {
        // a fixture added without a Case would prove nothing
        List<String> fixtures = java.util.Arrays.stream(NondeterministicFixture.class.getDeclaredClasses())
                .filter(k -> k != NondeterministicFixture.Deterministic.class).map(Class::getSimpleName).sorted()
                .toList();
        assertEquals(fixtures, CASES.stream().map(c -> c.fixture().getSimpleName()).sorted().toList());
    }
}
