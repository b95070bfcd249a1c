package io.accord.compat;

/**
 * Makes (unstarted) {@link ServerTarget}s of one kind. This is what the parameterized suites receive;
 * its {@link #toString()} is the name shown in test reports.
 */
public interface TargetFactory {

    String name();

    /** A new, not yet started target with this configuration. */
    ServerTarget create(TargetConfig config);

    /** Creates and starts a target; closes it again if starting fails. */
    default ServerTarget start(TargetConfig config) throws Exception {
        ServerTarget target = create(config);
        try {
            target.start();
            return target;
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
    }

    static TargetFactory of(String name, java.util.function.Function<TargetConfig, ServerTarget> create) {
        return new TargetFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ServerTarget create(TargetConfig config) {
                return create.apply(config);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
