/**
 * Compatibility suites: the same assertions, through the real ZooKeeper 3.9.5 client and Curator 5.9,
 * against every server of {@link io.accord.compat.Targets}. The real ZooKeeper is the oracle: a suite
 * that fails against it is wrong; a suite that passes against it and fails against Accord has found
 * a divergence.
 *
 * <h2>Harness</h2>
 * <ul>
 *   <li>{@link io.accord.compat.ServerTarget}: a server reachable through a connect string
 *       ({@code start}, {@code connectString}, {@code restart}, {@code close}, {@code name},
 *       {@link io.accord.compat.ServerTarget.Capability capabilities}).</li>
 *   <li>{@link io.accord.compat.TargetConfig}: tick time, session timeout bounds, container check interval;
 *       every target also runs with the super digest {@link io.accord.compat.TargetConfig#SUPER_DIGEST},
 *       TTL nodes enabled and all four-letter words allowed.</li>
 *   <li>{@link io.accord.compat.TargetFactory} makes targets of one kind;
 *       {@link io.accord.compat.Targets} lists them (the one place to add a target) and pairs each with
 *       the reference for the differential test.</li>
 *   <li>{@link io.accord.compat.TargetTestBase}: a {@code @ParameterizedClass} over
 *       {@code Targets#all}; one shared target per suite and kind, a fresh root path and client set per
 *       test, per-test timeout.</li>
 *   <li>{@code support}: clients that are always closed, event logs, deadlines instead of sleeps, a TCP
 *       proxy that cuts one client off (disconnects, catch-up, expiry), the client with raw requests.</li>
 *   <li>{@code diff}: the seeded lockstep differential test.</li>
 * </ul>
 *
 * <h2>Adding a target</h2>
 * Implement {@code ServerTarget} (say {@code AccordTarget}, taking a {@code TargetConfig}), then in
 * {@code Targets}: {@code TARGETS = List.of(REFERENCE, TargetFactory.of("accord-1node", AccordTarget::new))}.
 */
package io.accord.compat;
