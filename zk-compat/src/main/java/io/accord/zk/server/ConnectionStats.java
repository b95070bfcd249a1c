package io.accord.zk.server;

import io.accord.zk.proto.ClientRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection figures printed by {@code cons} and {@code stat} (ZooKeeper's {@code ServerCnxn} stats):
 * packets, session, last op, last cxid/zxid, last response time and latency. Reset by {@code crst}.
 *
 * <p>Thread-safe (updated from the event loop and the apply thread).
 */
final class ConnectionStats {
    private final long establishedMs = System.currentTimeMillis();
    private long received;
    private long sent;
    private long sessionId;
    private int timeoutMs;
    private String lastOp = "NA";
    private long lastCxid = -1;
    private long lastZxid = -1;
    private long lastResponseMs;
    private long lastLatencyMs;
    private long minLatencyMs = Long.MAX_VALUE;
    private long maxLatencyMs;
    private long totalLatencyMs;
    private long count;

    long establishedMs() {
        return establishedMs;
    }

    synchronized void received() {
        received++;
    }

    synchronized void sent(int frames) {
        sent += frames;
    }

    synchronized void sessionEstablished(long id, int timeout) {
        sessionId = id;
        timeoutMs = timeout;
    }

    synchronized void requestStarted(ClientRequest request) {
        lastCxid = request.xid();
    }

    synchronized void replied(ClientRequest request, long zxid, long startNanos) {
        if (request == null) {
            return;
        }
        lastOp = request.op().shortName();
        lastZxid = zxid;
        long now = System.nanoTime();
        lastResponseMs = now / 1_000_000; // ZooKeeper's lresp is elapsed time, not wall time
        long ms = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
        lastLatencyMs = ms;
        minLatencyMs = Math.min(minLatencyMs, ms);
        maxLatencyMs = Math.max(maxLatencyMs, ms);
        totalLatencyMs += ms;
        count++;
    }

    synchronized void reset() {
        received = 0;
        sent = 0;
        lastOp = "NA";
        lastCxid = -1;
        lastZxid = -1;
        lastResponseMs = 0;
        lastLatencyMs = 0;
        minLatencyMs = Long.MAX_VALUE;
        maxLatencyMs = 0;
        totalLatencyMs = 0;
        count = 0;
    }

    /** {@code (queued=0,recved=4,sent=5} without the closing parenthesis. */
    synchronized String brief(int queued) {
        return "(queued=" + queued + ",recved=" + received + ",sent=" + sent;
    }

    /** The extra {@code cons} fields of a connection that has a session. */
    synchronized String full() {
        if (sessionId == 0) {
            return "";
        }
        return ",sid=0x" + Long.toHexString(sessionId) + ",lop=" + lastOp + ",est=" + establishedMs
                + ",to=" + timeoutMs + (lastCxid == -1 ? "" : ",lcxid=0x" + Long.toHexString(lastCxid))
                + ",lzxid=0x" + Long.toHexString(lastZxid) + ",lresp=" + lastResponseMs + ",llat=" + lastLatencyMs
                + ",minlat=" + (count == 0 ? 0 : minLatencyMs) + ",avglat=" + (count == 0 ? 0 : totalLatencyMs / count)
                + ",maxlat=" + maxLatencyMs;
    }

    /**
     * The AdminServer's view of a connection ({@code connections}, {@code stats}): the {@code cons} fields under
     * ZooKeeper's JSON names; the session fields only when {@code withSession} and the connection has one.
     */
    synchronized Map<String, Object> info(String remoteAddress, boolean reading, int queued, boolean withSession) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("remote_socket_address", remoteAddress);
        m.put("interest_ops", reading ? 1 : 0);
        m.put("outstanding_requests", (long) queued);
        m.put("packets_received", received);
        m.put("packets_sent", sent);
        if (withSession && sessionId != 0) {
            m.put("session_id", sessionId);
            m.put("last_operation", lastOp);
            m.put("established", establishedMs);
            m.put("session_timeout", timeoutMs);
            m.put("last_cxid", lastCxid);
            m.put("last_zxid", lastZxid);
            m.put("last_response_time", lastResponseMs);
            m.put("last_latency", lastLatencyMs);
            m.put("min_latency", count == 0 ? 0 : minLatencyMs);
            m.put("avg_latency", count == 0 ? 0 : totalLatencyMs / count);
            m.put("max_latency", maxLatencyMs);
        }
        return m;
    }
}
