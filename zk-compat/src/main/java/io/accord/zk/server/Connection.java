package io.accord.zk.server;

import io.accord.core.Replica;
import io.accord.core.acl.Id;
import io.accord.core.session.SessionInfo;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import io.accord.zk.codec.FourLetterWord;
import io.accord.zk.codec.ServerFrameEncoder;
import io.accord.zk.proto.ClientFrame;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.CreateSessionRequest;
import io.accord.zk.proto.MalformedRequest;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.Reply;
import io.accord.zk.proto.ServerFrame;
import io.accord.zk.proto.UnknownRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the handshake, the per-connection request order, and the ordered outbound queue.
 *
 * <p><b>Order.</b> Requests are started strictly in arrival order. Writes go to the log and may be pipelined;
 * every other request waits until all earlier writes of this connection are applied, and a write waits for every
 * earlier request to have started, so each request sees exactly the writes before it. All output, replies and
 * watch events, goes through one multi-producer queue: the apply thread appends events and write replies
 * synchronously while readers are held back; reads append their reply inside their {@code readLocked} section. A
 * drain task on the event loop writes the queue in order and flushes once per batch, so an event is always on
 * the wire before any reply that shows the change (ZooKeeper guarantee 3), and replies keep request order.
 *
 * <p><b>Handshake.</b> Frames that arrive before the session is ready are kept (never dropped) and reading is
 * paused; they run in order once the ConnectResponse is queued.
 *
 * <p>Threading: Netty callbacks and {@link #processWaiting} run on the channel's event loop; {@link #onApplied},
 * {@link #enqueueEvent} and {@link #closeAfterQueued} may run on the apply thread.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final Object CLOSE = new Object();
    /**
     * The frames queued when the drain runs go out encoded back to back in one buffer (one pipeline write, one
     * buffer per batch instead of per reply); a batch is written once it reaches this many bytes.
     */
    private static final int BATCH_WRITE_BYTES = 64 * 1024;
    private static final int BATCH_INITIAL_BYTES = 4096;
    /** How long a connection being closed waits for its client to take the last frames. */
    private static final long CLOSE_LINGER_MS = 5_000;

    private enum State { NEW, HANDSHAKING, READY, CLOSING }

    /** A frame waiting its turn; {@code op} is the log op of a write, {@code rejectCode} a write refused early. */
    private record Incoming(ClientFrame frame, long nanos, Op op, int rejectCode) {
    }

    private final ServerNode node;
    private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ArrayDeque<Incoming> waiting = new ArrayDeque<>();
    private final AtomicInteger outstandingWrites = new AtomicInteger();
    final ConnectionStats stats = new ConnectionStats();
    private Channel channel;
    private EventLoop loop;
    private InetSocketAddress remote;
    private String remoteIp = "";
    private volatile State state = State.NEW;
    private volatile long sessionId;
    private volatile int timeoutMs;
    /** The session's password, sent again if the client sends createSession (-10) itself. */
    private volatile byte[] sessionPassword;
    private final AuthIdSet authIdSet = new AuthIdSet();
    private volatile boolean closed;
    private boolean admitted;
    /** Reading stopped because this connection had {@code maxOutstandingPerConnection} requests in flight. */
    private volatile boolean pausedForLoad;
    private boolean readOnlyPresent;

    Connection(ServerNode node) {
        this.node = node;
    }

    ServerNode node() {
        return node;
    }

    long sessionId() {
        return sessionId;
    }

    int timeoutMs() {
        return timeoutMs;
    }

    List<Id> authIds() {
        return authIdSet.ids();
    }

    String remoteIp() {
        return remoteIp;
    }

    InetSocketAddress remote() {
        return remote;
    }

    boolean reading() {
        return channel != null && channel.config().isAutoRead();
    }

    /** Requests received and not answered yet (cons {@code queued}). */
    int queued() {
        return waiting.size() + outstandingWrites.get();
    }

    // ---------------------------------------------------------------- Netty callbacks (event loop)

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = channel.eventLoop();
        remote = (InetSocketAddress) channel.remoteAddress();
        remoteIp = remote.getAddress().getHostAddress();
        authIdSet.add(List.of(new Id(Auth.IP, remoteIp)));
        if (!node.admit(remote.getAddress())) {
            LOG.warn("too many connections from {} (maxClientCnxns: {}): closing", remoteIp,
                    node.config.maxClientCnxns());
            channel.close();
            return;
        }
        admitted = true;
        node.connections.add(this);
        // ZooKeeper's sessionlessCnxnTimeout: a connection that never completes a handshake does not stay forever
        loop.schedule(() -> {
            if (state == State.NEW && channel.isActive()) {
                logClose("no ConnectRequest within " + node.config.handshakeTimeoutMs() + " ms");
                closeNow();
            }
        }, node.config.handshakeTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        state = State.CLOSING;
        if (!waiting.isEmpty()) {
            node.outstandingChanged(-waiting.size()); // writes already in the log are counted off when applied
        }
        waiting.clear();
        outbound.clear();
        if (admitted) {
            node.release(remote.getAddress());
            node.connectionClosed(this);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!admitted) {
            ReferenceCountUtil.release(msg); // refused at accept, closing
            return;
        }
        if (msg instanceof FourLetterWord word) {
            node.fourLetterWords().answer(channel, word);
            return;
        }
        if (!(msg instanceof ClientFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        stats.received();
        node.stats.packetReceived();
        if (state == State.CLOSING) {
            // frames still decoded from bytes that came with a failed or final one: a ConnectRequest among them
            // would otherwise open a session nobody uses
            return;
        }
        if (frame instanceof ConnectRequest connect) {
            handshake(connect);
            return;
        }
        node.touch(sessionId);
        waiting.add(incoming(frame));
        node.outstandingChanged(1);
        if (state == State.READY) {
            processWaiting();
        }
        updateReading();
    }

    /**
     * The TLS handshake of a {@code secureClientPort} connection finished: a client certificate authenticates the
     * connection as {@code x509:<subject DN>} (ZooKeeper's X509AuthenticationProvider); a failed handshake closes
     * it with one log line.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                logClose("TLS handshake failed: " + done.cause());
                closeNow();
                return;
            }
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            try {
                java.security.cert.Certificate[] chain = tls.engine().getSession().getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                    authIdSet.add(List.of(new Id(Auth.X509, certificate.getSubjectX500Principal().getName())));
                }
            } catch (SSLPeerUnverifiedException noCertificate) {
                // ssl.clientAuth none or want, and the client sent none: only its ip id
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Reads only when the session is ready, the client is reading its replies (the channel is writable), this
     * connection has fewer than {@code maxOutstandingPerConnection} requests in flight (once over it, until it is
     * down to half), and the node is not over {@code globalOutstandingLimit} while this connection has requests in
     * flight: a client that floods is slowed down, never buffered without bound. What one read already brought in
     * is still decoded, so a connection holds at most the limit plus one read's worth of frames.
     */
    private void updateReading() {
        if (channel == null || closed) {
            return;
        }
        int queued = queued();
        int perConnection = node.config.maxOutstandingPerConnection();
        pausedForLoad = pausedForLoad ? queued > perConnection / 2 : queued >= perConnection;
        boolean read = state == State.READY && !pausedForLoad && channel.isWritable() && !throttledHere(queued);
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    /** Whether the node's throttle applies to this connection (it has requests of its own in flight). */
    private boolean throttledHere(int queued) {
        if (queued == 0 || !node.throttled()) {
            node.pausedByThrottle(this, false);
            return false;
        }
        node.pausedByThrottle(this, true);
        if (node.throttled()) {
            return true;
        }
        node.pausedByThrottle(this, false); // the throttle ended meanwhile, maybe before it woke the paused ones
        return false;
    }

    /** The node's throttle ended: read again if nothing else holds this connection back (any thread). */
    void resumeReading() {
        runOnLoop(this::updateReading);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.CLOSING) {
            // the bytes after a bad frame fail too while the channel closes: one line per connection is enough
            LOG.debug("connection {} (session 0x{}), already closing: {}", remote, Long.toHexString(sessionId),
                    cause.toString());
        } else if (cause instanceof IOException) {
            LOG.debug("connection {} (session 0x{}) failed: {}", remote, Long.toHexString(sessionId), cause.toString());
        } else {
            LOG.info("closing connection {} (session 0x{}): {}", remote, Long.toHexString(sessionId),
                    cause.toString());
        }
        state = State.CLOSING;
        ctx.close();
    }

    private Incoming incoming(ClientFrame frame) {
        long now = System.nanoTime();
        if (frame instanceof ClientRequest request && request.op().isWrite() && request.op() != OpCode.CHECK) {
            try {
                return new Incoming(frame, now, WriteOps.toOp(request), 0);
            } catch (WriteOps.Rejected e) {
                return new Incoming(frame, now, null, e.code);
            }
        }
        return new Incoming(frame, now, null, 0);
    }

    // ---------------------------------------------------------------- handshake (PROTOCOL.md 2.2)

    private void handshake(ConnectRequest connect) {
        state = State.HANDSHAKING;
        readOnlyPresent = connect.readOnlyPresent();
        channel.config().setAutoRead(false);
        Replica replica = node.replica;
        if (!node.port.serving()) {
            logClose("this node is not serving");
            closeNow();
            return;
        }
        long lastZxid = replica.lastZxid();
        if (connect.lastZxidSeen() > lastZxid) {
            logClose("client has seen zxid 0x" + Long.toHexString(connect.lastZxidSeen())
                    + ", this replica is at 0x" + Long.toHexString(lastZxid));
            closeNow();
            return;
        }
        int timeout = node.clampTimeout(connect.timeOut());
        long requested = connect.sessionId();
        if (requested == 0) {
            byte[] password = new byte[16];
            node.random.nextBytes(password);
            submitHandshake(connect, timeout, password, 0, new Op.CreateSession(timeout, password));
            return;
        }
        Connection old = node.bound(requested);
        if (old != null && old != this) {
            node.unbind(requested, old);
            old.closeAfterQueued();
        }
        byte[] password = connect.passwd() == null ? new byte[0] : connect.passwd();
        boolean answered = replica.readLocked(() -> {
            SessionInfo info = replica.session(requested);
            if (info == null || !Arrays.equals(info.password(), password)) {
                expire();
                return true;
            }
            if (info.owner() == node.nodeId && info.timeoutMs() == timeout) {
                sessionReady(requested, timeout, password);
                return true;
            }
            return false;
        });
        if (!answered) {
            submitHandshake(connect, timeout, password, requested, new Op.ReattachSession(timeout, password));
        }
    }

    private void submitHandshake(ConnectRequest connect, int timeout, byte[] password, long session, Op op) {
        PendingWrite write = new PendingWrite(this, null, connect, timeout, password, System.nanoTime());
        if (!node.submit(write, session, authIds(), op)) {
            logClose("the log refused the session request");
            closeNow();
        }
    }

    /** The session is bound to this connection: queue the ConnectResponse and start serving (any thread). */
    private void sessionReady(long id, int timeout, byte[] password) {
        if (closed) {
            return; // the client went away meanwhile; the session expires unless it reconnects elsewhere
        }
        sessionId = id;
        timeoutMs = timeout;
        sessionPassword = password;
        stats.sessionEstablished(id, timeout);
        node.bind(id, this);
        node.touch(id);
        enqueue(new ConnectResponse(0, timeout, id, password, false, readOnlyPresent));
        runOnLoop(this::becomeReady);
    }

    private void expire() {
        LOG.info("connection {}: session expired or password wrong; answering timeout 0", remote);
        enqueue(ConnectResponse.expired(readOnlyPresent));
        closeAfterQueued();
    }

    private void becomeReady() {
        if (state != State.HANDSHAKING) {
            return;
        }
        state = State.READY;
        processWaiting();
        updateReading();
    }

    // ---------------------------------------------------------------- request order (event loop)

    private void processWaiting() {
        while (state == State.READY) {
            Incoming next = waiting.peek();
            if (next == null || next.op() == null && outstandingWrites.get() > 0) {
                break;
            }
            waiting.poll();
            dispatch(next);
        }
        updateReading();
    }

    private void dispatch(Incoming in) {
        if (in.op() == null || !(in.frame() instanceof ClientRequest)) {
            node.outstandingChanged(-1); // answered here and now (a submitted write is counted off when applied)
        }
        if (in.frame() instanceof UnknownRequest unknown) {
            logClose("unknown opcode " + unknown.header().type());
            reply(Reply.of(unknown.header().xid(), -1, ErrorCode.UNIMPLEMENTED), null, in.nanos());
            closeAfterQueued();
        } else if (in.frame() instanceof MalformedRequest malformed && malformed.op() == OpCode.CHECK) {
            // ZooKeeper refuses check outside multi by its opcode, before it reads the body
            logClose("check (13) outside multi");
            reply(Reply.of(malformed.header().xid(), -1, ErrorCode.UNIMPLEMENTED), null, in.nanos());
            closeAfterQueued();
        } else if (in.frame() instanceof MalformedRequest malformed
                && (malformed.op() == OpCode.AUTH || malformed.op() == OpCode.SASL)) {
            // ZooKeeper reads these two on its network thread; a body it cannot read closes the connection, no reply
            logClose("unreadable " + malformed.op() + " packet: " + malformed.reason());
            closeAfterQueued();
        } else if (in.frame() instanceof MalformedRequest malformed) {
            LOG.info("connection {}: malformed {} request: {}", remote, malformed.op(), malformed.reason());
            reply(Reply.of(malformed.header().xid(), node.replica.lastZxid(), ErrorCode.MARSHALLING_ERROR), null,
                    in.nanos());
        } else {
            ClientRequest request = (ClientRequest) in.frame();
            stats.requestStarted(request);
            if (request.op() == OpCode.CHECK) {
                logClose("check (13) outside multi");
                reply(Reply.of(request.xid(), -1, ErrorCode.UNIMPLEMENTED), request, in.nanos());
                closeAfterQueued();
            } else if (in.op() != null) {
                submitWrite(request, in);
            } else if (request.op().isWrite()) {
                reply(Reply.of(request.xid(), node.replica.lastZxid(), in.rejectCode()), request, in.nanos());
            } else {
                LocalOps.execute(this, request, in.nanos());
            }
        }
    }

    private void submitWrite(ClientRequest request, Incoming in) {
        outstandingWrites.incrementAndGet();
        if (!node.submit(new PendingWrite(this, request, null, 0, null, in.nanos()), sessionId, authIds(), in.op())) {
            outstandingWrites.decrementAndGet();
            node.outstandingChanged(-1);
            logClose("the log refused a request");
            closeNow();
        }
    }

    /** A request this connection submitted was applied (apply thread, readers held back). */
    void onApplied(PendingWrite write, Applied applied) {
        if (write.request() == null) {
            Result result = applied.result();
            if (result instanceof Result.SessionCreated created) {
                sessionReady(created.sessionId(), created.timeoutMs(), created.password());
            } else if (write.connect().sessionId() != 0 && result.code() == ErrorCode.OK) {
                sessionReady(write.connect().sessionId(), write.timeoutMs(), write.password());
            } else if (write.connect().sessionId() != 0) {
                expire();
            } else {
                logClose("createSession failed with " + result.code());
                closeAfterQueued();
            }
            return;
        }
        if (applied.result().code() == ErrorCode.SESSION_MOVED) {
            // ZooKeeper never sends SESSIONMOVED: the stale connection is closed instead
            logClose("session 0x" + Long.toHexString(sessionId) + " moved to another node");
            closeAfterQueued();
        } else if (write.request().body() instanceof CreateSessionRequest resend && resend.hasTimeOut()) {
            // ZooKeeper finishes the "new" session on this connection again: the same ConnectResponse as before
            respond(new ConnectResponse(0, timeoutMs, sessionId, sessionPassword, false, readOnlyPresent),
                    write.request(), applied.zxid(), write.startNanos());
        } else {
            reply(WriteOps.reply(write.request(), applied), write.request(), write.startNanos());
            if (write.request().op() == OpCode.CLOSE_SESSION) {
                closeAfterQueued();
            }
        }
        node.outstandingChanged(-1);
        int left = outstandingWrites.decrementAndGet();
        if (left == 0) {
            runOnLoop(this::processWaiting);
        } else if (pausedForLoad && left <= node.config.maxOutstandingPerConnection() / 2) {
            runOnLoop(this::updateReading);
        }
    }

    void addAuthIds(List<Id> added) {
        authIdSet.add(added);
    }

    // ---------------------------------------------------------------- outbound queue (any thread)

    /** Queues the reply to a request (in request order) and records its latency. */
    void reply(Reply reply, ClientRequest request, long startNanos) {
        respond(reply, request, reply.header().zxid(), startNanos);
    }

    private void respond(ServerFrame frame, ClientRequest request, long zxid, long startNanos) {
        stats.replied(request, zxid, startNanos);
        node.stats.requestDone(request == null ? null : request.op(), startNanos);
        enqueue(frame);
    }

    /** Queues a watch notification. */
    void enqueueEvent(Reply notification) {
        enqueue(notification);
    }

    /** Closes the connection once everything queued so far is written. */
    void closeAfterQueued() {
        state = State.CLOSING;
        enqueue(CLOSE);
    }

    private void closeNow() {
        state = State.CLOSING;
        if (channel != null) {
            channel.close();
        }
    }

    void logClose(String why) {
        LOG.info("closing connection {} (session 0x{}): {}", remote, Long.toHexString(sessionId), why);
    }

    private void enqueue(Object frame) {
        if (closed) {
            return;
        }
        outbound.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain); // even from the loop itself: one flush after the current batch
            } catch (RejectedExecutionException e) {
                LOG.debug("event loop shut down; dropping output for {}", remote);
            }
        }
    }

    private void runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop shut down; dropping work for {}", remote);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Batch batch = new Batch();
        Object frame;
        try {
            while ((frame = outbound.poll()) != null) {
                if (frame == CLOSE) {
                    closed = true;
                    outbound.clear();
                    if (batch.end()) {
                        closeWhenWritten();
                    } else {
                        channel.close();
                    }
                    return;
                }
                if (channel.isActive()) {
                    batch.add((ServerFrame) frame);
                }
            }
        } catch (Throwable t) {
            // A frame that cannot be encoded, or no memory for the buffer: nothing more goes out (a later frame
            // must not overtake a lost one) and, as from an encoder in the pipeline, exceptionCaught closes.
            batch.discard();
            closed = true;
            outbound.clear();
            channel.pipeline().fireExceptionCaught(new EncoderException(t));
            return;
        }
        if (batch.end()) {
            channel.flush();
            if (!channel.isWritable()) {
                updateReading();
            }
        }
    }

    /**
     * Closes the channel once everything written so far has reached the socket (closing at once would drop what a
     * slow client has not taken yet), or after {@link #CLOSE_LINGER_MS} if the client takes nothing.
     */
    private void closeWhenWritten() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // cancelled as soon as the channel closes, so that session churn does not pile up 5 s of pending tasks
        Future<?> forced = loop.schedule((Runnable) channel::close, CLOSE_LINGER_MS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> forced.cancel(false));
    }

    /**
     * The frames of one drain, encoded back to back into one buffer: one pipeline write and one buffer per batch
     * instead of per frame. A buffer is written (not flushed) whenever it reaches {@link #BATCH_WRITE_BYTES}.
     * Counts the frames and their sizes for the statistics once per batch.
     */
    private final class Batch {
        private ByteBuf buf;
        private int frames;
        private int lastBytes;
        private int minBytes = Integer.MAX_VALUE;
        private int maxBytes;

        void add(ServerFrame frame) {
            if (buf == null) {
                buf = channel.alloc().ioBuffer(BATCH_INITIAL_BYTES);
            }
            int start = buf.writerIndex();
            ServerFrameEncoder.encodeFrame(frame, buf);
            int bytes = buf.writerIndex() - start - 4;
            frames++;
            lastBytes = bytes;
            minBytes = Math.min(minBytes, bytes);
            maxBytes = Math.max(maxBytes, bytes);
            if (buf.readableBytes() >= BATCH_WRITE_BYTES) {
                write();
            }
        }

        /** Writes what is left and counts the batch; true if any frame was written (a flush is due). */
        boolean end() {
            write();
            if (frames == 0) {
                return false;
            }
            stats.sent(frames);
            node.stats.framesSent(frames, lastBytes, minBytes, maxBytes);
            return true;
        }

        void discard() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }

        private void write() {
            if (buf != null) {
                ByteBuf full = buf;
                buf = null;
                channel.write(full, channel.voidPromise());
            }
        }
    }
}
