package io.accord.cluster;

import io.aeron.security.Authenticator;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.SessionProxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Only Accord members may open sessions on the cluster's ingress (and ask it for backups): a challenge-response
 * over a secret every member shares ({@link AeronReplicationPort.Context#clusterSecret}). The connect request
 * carries only a marker; the consensus module answers with a random 32-byte nonce and admits the session if the
 * response is HMAC-SHA256(secret, nonce). The secret itself never travels, and a recorded response is useless for
 * another nonce.
 *
 * <pre>
 *  client                               consensus module (leader)
 *  connect(credentials = "accord-1")  -&gt;  onConnectRequest: pending nonce
 *                                     &lt;-  challenge(nonce)
 *  onChallenge: HMAC(secret, nonce)   -&gt;  onChallengeResponse: constant-time compare
 *                                     &lt;-  authenticate, or reject
 * </pre>
 *
 * <p>Not covered: the archive control ports and the consensus channel between members are not authenticated by
 * this (Aeron authenticates client sessions and backup queries only); keep member ports on a trusted network.
 *
 * <p>Threading: one instance per consensus module, called only on its thread.
 */
final class IngressAuthenticator implements Authenticator {
    static final byte[] MARKER = "accord-1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_LENGTH = 32;
    private static final long PENDING_TIMEOUT_MS = 30_000;

    private final byte[] secret;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Pending> pending = new HashMap<>();

    private static final class Pending {
        final byte[] nonce;
        final long sinceMs;
        boolean challenged;
        /** null until the response arrived, then whether it was right. */
        Boolean verified;

        Pending(byte[] nonce, long sinceMs) {
            this.nonce = nonce;
            this.sinceMs = sinceMs;
        }
    }

    IngressAuthenticator(byte[] secret) {
        this.secret = secret.clone();
    }

    /** What a member's ingress client (or backup) presents: the marker, then the answer to the challenge. */
    static CredentialsSupplier credentials(byte[] secret) {
        byte[] key = secret.clone();
        return new CredentialsSupplier() {
            @Override
            public byte[] encodedCredentials() {
                return MARKER.clone();
            }

            @Override
            public byte[] onChallenge(byte[] encodedChallenge) {
                return hmac(key, encodedChallenge);
            }
        };
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void onConnectRequest(long sessionId, byte[] encodedCredentials, long nowMs) {
        expire(nowMs);
        if (encodedCredentials != null && Arrays.equals(encodedCredentials, MARKER)) {
            byte[] nonce = new byte[NONCE_LENGTH];
            random.nextBytes(nonce);
            pending.put(sessionId, new Pending(nonce, nowMs));
        }
    }

    @Override
    public void onConnectedSession(SessionProxy proxy, long nowMs) {
        Pending p = pending.get(proxy.sessionId());
        if (p == null) {
            proxy.reject(); // no marker: not an Accord member
        } else if (!p.challenged && proxy.challenge(p.nonce)) {
            p.challenged = true;
        }
    }

    @Override
    public void onChallengeResponse(long sessionId, byte[] encodedCredentials, long nowMs) {
        Pending p = pending.get(sessionId);
        if (p != null) {
            p.verified = encodedCredentials != null
                    && MessageDigest.isEqual(hmac(secret, p.nonce), encodedCredentials);
        }
    }

    @Override
    public void onChallengedSession(SessionProxy proxy, long nowMs) {
        Pending p = pending.get(proxy.sessionId());
        if (p == null || Boolean.FALSE.equals(p.verified)) {
            pending.remove(proxy.sessionId());
            proxy.reject();
        } else if (Boolean.TRUE.equals(p.verified) && proxy.authenticate(null)) {
            pending.remove(proxy.sessionId());
        }
    }

    /** Drops sessions that never finished the exchange (the consensus module times them out as well). */
    private void expire(long nowMs) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().sinceMs > PENDING_TIMEOUT_MS) {
                it.remove();
            }
        }
    }
}
