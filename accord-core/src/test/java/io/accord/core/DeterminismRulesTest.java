package io.accord.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.accord.core.txn.NondeterministicFixture;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Requirement 11 (DESIGN.md "apply never reads the clock, random numbers ..."): the apply packages use no hash-ordered
 * collections, randomness, clocks or threads. Enforced on bytecode with ArchUnit.
 */
class DeterminismRulesTest {
    private static final String[] APPLY_PACKAGES = {"io.accord.core", "io.accord.core.tree..", "io.accord.core.acl..",
        "io.accord.core.session..", "io.accord.core.txn.."};

    /** Set.of / Map.of / copyOf iterate in an order salted per JVM run. */
    private static final DescribedPredicate<JavaMethodCall> SALTED_FACTORIES =
            new DescribedPredicate<>("Set/Map factories (iteration order salted per JVM)") {
                @Override
                public boolean test(JavaMethodCall call) {
                    String owner = call.getTarget().getOwner().getName();
                    String name = call.getTarget().getName();
                    return (owner.equals("java.util.Set") || owner.equals("java.util.Map"))
                            && (name.equals("of") || name.equals("copyOf") || name.equals("ofEntries"));
                }
            };

    static final ArchRule NO_NONDETERMINISM = noClasses().that().resideInAnyPackage(APPLY_PACKAGES)
            .should().dependOnClassesThat().belongToAnyOf(HashMap.class, HashSet.class, LinkedHashMap.class,
                    LinkedHashSet.class, IdentityHashMap.class, WeakHashMap.class, ConcurrentHashMap.class,
                    Random.class, ThreadLocalRandom.class, Thread.class, Executors.class)
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Instant.class, "now")
            .orShould().callMethod(UUID.class, "randomUUID")
            .orShould().callMethodWhere(SALTED_FACTORIES)
            .because("every replica must compute the same state from the same log");

    @Test
    void applyPackagesAreDeterministic() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.accord.core");
        assertTrue(main.contain(StateMachine.class));
        NO_NONDETERMINISM.check(main);
    }

    @Test
    void theRuleCatchesAViolation() {
        JavaClasses bad = new ClassFileImporter().importClasses(NondeterministicFixture.class);
        assertTrue(NO_NONDETERMINISM.evaluate(bad).hasViolation());
        JavaClasses good = new ClassFileImporter().importClasses(CoreConfig.class);
        assertFalse(NO_NONDETERMINISM.evaluate(good).hasViolation());
    }
}
