package io.accord.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other members that client work has begun after a quiet spell, so that their agents leave their deep
 * idle parks before the first entry reaches them (see {@link MemberActivity}).
 *
 * <p>Why: without it, the first write after a quiet second waited out a deep park (up to 10 ms) in every agent of
 * the other members it passed: 15–40 ms in all, against about 1 ms once they were awake. Aeron's agents poll and
 * cannot be woken by a packet; a thread blocked on a socket can.
 *
 * <p>Each member listens on TCP at its base port (Aeron uses only UDP there). A ring opens a connection to every
 * other member, writes a 12-byte message (a magic and the ringing member's id) and closes it; the listener
 * marks its member active. Both threads block when idle and cost nothing. The ring runs on its own thread: the
 * caller (a front-end thread) never waits on the network. A member that cannot bind the port, or a peer that is
 * down, only loses the head start: the entry still wakes it when it arrives. A stray connection can do no more
 * than keep a member out of deep parks for the quiet period.
 *
 * <p>Thread-safe.
 */
final class Doorbell implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Doorbell.class);
    private static final byte[] MAGIC = "ACCDBELL".getBytes(StandardCharsets.US_ASCII);
    static final int MESSAGE_LENGTH = MAGIC.length + Integer.BYTES;
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final int READ_TIMEOUT_MS = 1_000;

    private final int nodeId;
    private final MemberActivity activity;
    private final List<InetSocketAddress> peers = new ArrayList<>();
    private final ServerSocketChannel listener;
    private final Thread listenThread;
    private final Thread ringThread;
    private final AtomicBoolean ringPending = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long rings;
    private volatile long heard;
    /** Connections that sent something else, or nothing within the read timeout. */
    private volatile long ignored;

    private Doorbell(int nodeId, MemberActivity activity, List<Member> members, ServerSocketChannel listener) {
        this.nodeId = nodeId;
        this.activity = activity;
        this.listener = listener;
        for (Member m : members) {
            if (m.id() != nodeId) {
                peers.add(new InetSocketAddress(m.host(), m.basePort()));
            }
        }
        listenThread = new Thread(this::listen, "accord-doorbell-" + nodeId);
        listenThread.setDaemon(true);
        ringThread = new Thread(this::ringLoop, "accord-doorbell-ring-" + nodeId);
        ringThread.setDaemon(true);
    }

    /**
     * Starts the doorbell of member {@code nodeId} of {@code members} and hands it to {@code activity} (see {@link
     * MemberActivity#activeEverywhere()}); null when it is the only member, or when its port cannot be bound
     * (logged: the cluster works without it).
     */
    static Doorbell start(int nodeId, List<Member> members, MemberActivity activity) {
        if (members.size() < 2) {
            return null;
        }
        Member self = members.stream().filter(m -> m.id() == nodeId).findFirst().orElseThrow();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(self.host(), self.basePort()), 16);
        } catch (IOException | RuntimeException e) {
            LOG.warn("member {}: cannot listen on TCP {}:{} for the doorbell ({}); the first write after a quiet "
                    + "spell will wait for the other members' agents to wake (free that TCP port to fix this)",
                    nodeId, self.host(), self.basePort(), e.toString());
            closeQuietly(channel);
            return null;
        }
        Doorbell bell = new Doorbell(nodeId, activity, members, channel);
        bell.listenThread.start();
        bell.ringThread.start();
        activity.doorbell(bell);
        return bell;
    }

    /** Rings every other member, at most one round at a time; returns at once. */
    void ring() {
        if (!closed && ringPending.compareAndSet(false, true)) {
            LockSupport.unpark(ringThread);
        }
    }

    long rings() {
        return rings;
    }

    long heard() {
        return heard;
    }

    long ignored() {
        return ignored;
    }

    private void ringLoop() {
        byte[] message = Arrays.copyOf(MAGIC, MESSAGE_LENGTH);
        ByteBuffer.wrap(message, MAGIC.length, Integer.BYTES).putInt(nodeId);
        while (!closed) {
            if (!ringPending.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            rings++;
            for (InetSocketAddress peer : peers) {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(peer, CONNECT_TIMEOUT_MS);
                    s.getOutputStream().write(message);
                } catch (IOException e) {
                    LOG.debug("member {}: doorbell of {} did not answer: {}", nodeId, peer, e.toString());
                }
            }
        }
    }

    private void listen() {
        ByteBuffer buf = ByteBuffer.allocate(MESSAGE_LENGTH);
        while (!closed) {
            try (SocketChannel c = listener.accept()) {
                c.socket().setSoTimeout(READ_TIMEOUT_MS);
                buf.clear();
                var in = c.socket().getInputStream();
                int n = in.readNBytes(buf.array(), 0, MESSAGE_LENGTH);
                if (n == MESSAGE_LENGTH && Arrays.equals(buf.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                    heard++;
                    activity.active();
                } else {
                    ignored++;
                    LOG.debug("member {}: ignored a doorbell connection from {} ({} bytes, not a doorbell message)",
                            nodeId, c.getRemoteAddress(), n);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (SocketTimeoutException e) {
                ignored++;
                LOG.debug("member {}: a doorbell connection sent nothing for {} ms; closed", nodeId,
                        READ_TIMEOUT_MS);
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("member {}: doorbell connection failed: {}", nodeId, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        activity.doorbell(null);
        closeQuietly(listener);
        LockSupport.unpark(ringThread);
        try {
            listenThread.join(2_000);
            ringThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the doorbell listener failed: {}", e.toString());
            }
        }
    }
}
