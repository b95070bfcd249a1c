package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.NullCredentialsSupplier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** With a cluster secret, members write as usual and a client without the secret cannot open an ingress session. */
class IngressAuthenticationTest {
    private static final Logger LOG = LoggerFactory.getLogger(IngressAuthenticationTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final byte[] SECRET = "a secret the members share".getBytes(StandardCharsets.UTF_8);

    /** Connects a client through member 1's media driver with {@code credentials}; closes it if it connects. */
    private static void connect(TestCluster c, Aeron aeron, CredentialsSupplier credentials) {
        AeronCluster.Context ctx = MemberLauncher.clientContext(c.node(1).context()).aeron(aeron)
                .ownsAeronClient(false).credentialsSupplier(credentials).messageTimeoutNs(TimeUnit.SECONDS.toNanos(5));
        AeronCluster.connect(ctx).close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void onlyClientsThatKnowTheSecretOpenIngressSessions() {
        try (TestCluster c = TestCluster.of(3, StorageMode.MEMORY, ctx -> ctx.clusterSecret(SECRET)).startAll()) {
            c.awaitServing(WAIT);
            for (int id : List.of(1, 2, 3)) {
                c.awaitApplied(id, c.submitCreate(id, "/authenticated-" + id, WAIT), WAIT);
            }
            try (Aeron aeron = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(c.node(1).context().aeronDirectoryName()))) {
                RuntimeException none = assertThrows(RuntimeException.class,
                        () -> connect(c, aeron, new NullCredentialsSupplier()));
                LOG.info("a client without credentials: {}", none.toString());
                assertTrue(none.toString().toLowerCase().contains("reject")
                        || none.toString().toLowerCase().contains("authentication"), none.toString());
                RuntimeException wrong = assertThrows(RuntimeException.class, () -> connect(c, aeron,
                        IngressAuthenticator.credentials("another secret, 16+ bytes".getBytes(StandardCharsets.UTF_8))));
                LOG.info("a client with the wrong secret: {}", wrong.toString());
                assertTrue(wrong.toString().toLowerCase().contains("reject")
                        || wrong.toString().toLowerCase().contains("authentication"), wrong.toString());
                connect(c, aeron, IngressAuthenticator.credentials(SECRET)); // the same path with the secret works
            }
            c.awaitConverged(WAIT);
            for (int id : List.of(1, 2, 3)) {
                assertEquals(0, c.node(id).stats().unapplied());
            }
        }
    }
}
