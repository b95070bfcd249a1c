package io.accord.compat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import io.accord.compat.support.Clients;

/**
 * Base of the suites that run once per target ({@link Targets#all()}). One target is started per
 * suite and target, with {@link #config()}; each test gets its own root path ({@link #root}) so tests
 * share the server without seeing each other, and every client it opens through {@link #clients} is
 * closed after it. Tests that need a server of their own (other timeouts, restarts) use
 * {@link #startTarget(TargetConfig)}, also closed after the test.
 */
@ParameterizedClass(name = "[{index}] {0}")
@MethodSource("io.accord.compat.Targets#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TargetTestBase {

    private static final AtomicInteger ROOTS = new AtomicInteger();

    @Parameter
    protected TargetFactory factory;
    /** The target shared by the tests of this suite invocation. */
    protected ServerTarget target;
    /** Clients of the current test; closed after it. */
    protected Clients clients;
    /** A fresh, not yet created, path for the current test, e.g. {@code /createsSequentialNodes-7}. */
    protected String root;

    private Clients perTestTargets;

    /** Configuration of the shared target; suites override it for shorter ticks. */
    protected TargetConfig config() {
        return TargetConfig.defaults();
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void startSharedTarget() throws Exception {
        this.target = factory.start(config());
    }

    @AfterParameterizedClassInvocation
    void stopSharedTarget() {
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void openClients(TestInfo info) {
        clients = new Clients();
        perTestTargets = new Clients();
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        root = "/" + method + "-" + ROOTS.incrementAndGet();
    }

    @AfterEach
    void closeClients() {
        clients.close();
        perTestTargets.close();
    }

    /** A target of this suite's kind, just for this test. */
    protected ServerTarget startTarget(TargetConfig config) throws Exception {
        return perTestTargets.register(factory.start(config));
    }
}
