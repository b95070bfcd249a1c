package io.accord.zk.server;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.port.LocalReplicator;
import java.util.function.UnaryOperator;

/** A ZkServer on a free local port over a fresh StateMachine and LocalReplicator; closing stops both. */
final class TestServer implements AutoCloseable {
    final StateMachine replica;
    final LocalReplicator port;
    final ZkServer server;

    private TestServer(CoreConfig core, int tickTimeMs, UnaryOperator<ZkServer.Context> customize) {
        replica = new StateMachine(core);
        port = LocalReplicator.withSystemClock(replica, 1, Math.max(1, tickTimeMs / 2));
        server = ZkServer.launch(customize.apply(new ZkServer.Context()
                .replicationPort(port).bindAddress("127.0.0.1").port(0).tickTimeMs(tickTimeMs).ioThreads(2)
                .adminServerAddress("127.0.0.1").adminServerPort(0)
                .closePortOnClose(true)));
    }

    static TestServer start() {
        return start(UnaryOperator.identity());
    }

    static TestServer start(UnaryOperator<ZkServer.Context> customize) {
        return new TestServer(CoreConfig.defaults(), 2000, customize);
    }

    static TestServer start(CoreConfig core, int tickTimeMs, UnaryOperator<ZkServer.Context> customize) {
        return new TestServer(core, tickTimeMs, customize);
    }

    String connectString() {
        return "127.0.0.1:" + server.port();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        LeakRecorder.assertNoLeaks();
    }
}
