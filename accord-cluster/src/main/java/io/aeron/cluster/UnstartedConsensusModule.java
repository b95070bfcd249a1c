package io.aeron.cluster;

/**
 * Builds a {@link ConsensusModule} without starting it, which Aeron's public API cannot do: {@link
 * ConsensusModule#launch(ConsensusModule.Context)} concludes the context and, in invoker mode, runs the module's
 * start-up (recovery, waiting for the service container) on the calling thread. Accord's member thread
 * ({@code io.accord.cluster.MemberConductor}) concludes on the launching thread, so that a bad configuration
 * fails the launch as before, and starts the module's invoker on its own thread, so that the service container
 * can be launched meanwhile. In Aeron's package because the constructor is package-private.
 */
public final class UnstartedConsensusModule {
    private UnstartedConsensusModule() {
    }

    /** The module, context concluded; start it with {@code conductorAgentInvoker().start()}. */
    public static ConsensusModule build(ConsensusModule.Context ctx) {
        return new ConsensusModule(ctx.useAgentInvoker(true));
    }
}
