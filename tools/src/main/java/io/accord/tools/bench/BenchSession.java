package io.accord.tools.bench;

import io.accord.core.acl.Acl;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.CheckVersionRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.MultiRequest;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.SetDataRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One bench session: the client end of one ZooKeeper connection, and the only handler of its channel.
 *
 * <p>After the handshake it runs setup and cleanup requests one at a time ({@link #call}); between {@link #start}
 * and {@link #stop} it keeps {@code window} requests outstanding, sending the next one for each reply. Replies are
 * parsed in place in Netty's read buffer (no frame objects); request bodies are encoded once into byte arrays and
 * copied into one output buffer per read batch, which is flushed once when the batch has been read. Send times and
 * xids sit in a ring, since a ZooKeeper server answers a session's requests in order.
 *
 * <p>Open loop ({@code --rate}): the session's k-th request is due at {@code start + phase + k * period}, where the
 * period is {@code clients / rate} and the phase {@code index / clients} of a period, so the sessions together send
 * evenly spaced requests. A one-shot timer on the event loop fires when the next one is due and sends everything
 * due that the window allows; a reply that frees a slot sends what is overdue at once. The ring then holds the
 * scheduled time instead of the send time, so latency includes the wait for the window.
 *
 * <p>Threading: everything runs on the channel's event loop, except the public methods, which hand over to it, and
 * the futures, which the runner waits on.
 */
final class BenchSession extends ByteToMessageDecoder {
    /** Largest reply accepted: getData of the largest value, with room to spare. */
    private static final int MAX_FRAME = 4 << 20;
    private static final int PING_XID = -2;
    private static final int NOTIFICATION_XID = -1;
    private static final int REPLY_HEADER = 16;
    /** A ConnectResponse without the optional readOnly byte. */
    private static final int CONNECT_RESPONSE_MIN = 36;
    private static final int SEQUENTIAL = 2;

    private static final byte K_SET = 0;
    private static final byte K_GET = 1;
    private static final byte K_CREATE = 2;
    private static final byte K_DELETE = 3;
    private static final byte K_MULTI = 4;
    private static final byte K_CALL = 5;
    /** A setData sent while this session's data watch was set: its success must have brought one event. */
    private static final byte K_SET_FIRES = 6;
    private static final int NODE_DELETED = 2;
    private static final int NODE_DATA_CHANGED = 3;

    final String path;
    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    final CompletableFuture<Void> drained = new CompletableFuture<>();

    private final Workload workload;
    private final int window;
    private final int readPct;
    private final boolean watch;
    private final ByteBuf pathBytes;
    private final int sessionTimeoutMs;
    private final LoopStats stats;
    private final byte[] setBody;
    private final byte[] getBody;
    private final byte[] createBody;
    private final byte[] multiHead;
    private final byte[] multiTail;
    private final long[] sentAt;
    private final int[] sentXid;
    private final byte[] sentKind;
    private final int mask;
    /** Open loop: nanoseconds between this session's requests; 0 in closed loop. */
    private final long periodNanos;
    /** Open loop: this session's offset in the common schedule. */
    private final long phaseNanos;
    private final long lateNanos = (long) (BenchResult.LATE_MS * 1_000_000);
    private final Runnable tick = this::tick;

    private Channel channel;
    private ChannelHandlerContext context;
    private ByteBuf pending;
    private int head;
    private int outstanding;
    private int nextXid = 1;
    private long batchNanos;
    private long lastWriteNanos;
    private long seed;
    private boolean connected;
    private boolean running;
    private boolean closing;
    private int checkVersion;
    private long writesOk;
    /** A watched getData was sent after the last setData: the next setData will fire the watch. */
    private boolean watchSet;
    private long watchEvents;
    private long watchEventsExpected;
    private long sessionId;
    private volatile Throwable failure;
    private CompletableFuture<Reply> call;
    private ScheduledFuture<?> pinger;
    /** Open loop: when the next scheduled request is due (System.nanoTime). */
    private long nextAt;
    /** Open loop: the timer armed for {@link #nextAt}, or null. */
    private ScheduledFuture<?> ticker;
    /** Set while a scheduled request is written: {@link #push} then stores its scheduled time. */
    private boolean onSchedule;

    BenchSession(int index, BenchOptions options, LoopStats stats) {
        this.path = options.root() + "/s" + index;
        this.workload = options.workload();
        this.window = options.window();
        this.readPct = options.readPct();
        this.watch = options.watch();
        this.pathBytes = Unpooled.wrappedBuffer(path.getBytes(StandardCharsets.UTF_8));
        this.sessionTimeoutMs = options.sessionTimeoutMs();
        this.stats = stats;
        this.seed = 0x9E3779B97F4A7C15L * (index + 1);
        byte[] value = new byte[options.valueSize()];
        Arrays.fill(value, (byte) 'v');
        setBody = encode(new SetDataRequest(path, value, -1));
        getBody = encode(new GetDataRequest(path, options.watch()));
        createBody = encode(new CreateRequest(path + "/c-", value, Acl.OPEN_ACL_UNSAFE, SEQUENTIAL));
        // check(path, version) + setData(path, value, -1): split around the check's version, patched per request
        byte[] multi = encode(new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(path, 0)),
                new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(path, value, -1)))));
        int versionAt = 9 + 4 + path.getBytes(StandardCharsets.UTF_8).length;
        multiHead = Arrays.copyOfRange(multi, 0, versionAt);
        multiTail = Arrays.copyOfRange(multi, versionAt + 4, multi.length);
        int capacity = Integer.highestOneBit(window + 1) << 1;
        sentAt = new long[capacity];
        sentXid = new int[capacity];
        sentKind = new byte[capacity];
        mask = capacity - 1;
        periodNanos = options.openLoop() ? periodNanos(options.rate(), options.clients()) : 0;
        phaseNanos = phaseNanos(periodNanos, index, options.clients());
    }

    /** Open loop: the time between one session's requests, when {@code clients} sessions share {@code rate}. */
    static long periodNanos(double rate, int clients) {
        return Math.max(1, Math.round(Math.min(clients * 1e9 / rate, TimeUnit.DAYS.toNanos(1))));
    }

    /** Open loop: session {@code index}'s offset in the common schedule, so the sessions take turns evenly. */
    static long phaseNanos(long periodNanos, int index, int clients) {
        return periodNanos * index / clients;
    }

    private static byte[] encode(JuteRecord record) {
        ByteBuf buf = Unpooled.buffer();
        record.write(buf);
        return ByteBufUtil.getBytes(buf);
    }

    /** The setData (or multi) requests that succeeded; read once {@link #drained} completed. */
    long writesOk() {
        return writesOk;
    }

    /** Watch events received, and those the successful setData requests should have brought. */
    long watchEvents() {
        return watchEvents;
    }

    long watchEventsExpected() {
        return watchEventsExpected;
    }

    long sessionId() {
        return sessionId;
    }

    Throwable failure() {
        return failure;
    }

    // ---------------------------------------------------------------- lifecycle (runner thread)

    /** Sends one request outside the load and completes with its reply. */
    CompletableFuture<Reply> call(OpCode type, Consumer<ByteBuf> body) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            if (call != null || running || outstanding != 0) {
                result.completeExceptionally(new IllegalStateException("session busy"));
                return;
            }
            call = result;
            batchNanos = System.nanoTime();
            int xid = xid();
            ByteBuf out = out();
            int lengthAt = out.writerIndex();
            out.writeInt(0).writeInt(xid).writeInt(type.code());
            body.accept(out);
            out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
            push(xid, K_CALL);
            if (type == OpCode.CLOSE_SESSION) {
                closing = true;
            }
            flush(context);
        });
        return result;
    }

    /**
     * Starts the load: fills the window (closed loop), or starts the schedule at {@code startNanos}
     * (System.nanoTime; the same for every session, so that their phases interleave).
     */
    void start(long startNanos) {
        channel.eventLoop().execute(() -> {
            if (failure != null) {
                return;
            }
            running = true;
            batchNanos = System.nanoTime();
            if (periodNanos > 0) {
                nextAt = startNanos + phaseNanos;
                sendDue();
                flush(context);
                return;
            }
            for (int i = 0; i < window; i++) {
                issueNext();
            }
            flush(context);
        });
    }

    /** Stops sending new requests; {@link #drained} completes when every outstanding one was answered. */
    void stop() {
        channel.eventLoop().execute(() -> {
            running = false;
            disarm();
            if (outstanding == 0) {
                drained.complete(null);
            }
        });
    }

    // ---------------------------------------------------------------- channel events (event loop)

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        context = ctx;
        ByteBuf out = ctx.alloc().buffer(64);
        out.writeInt(0);
        new ConnectRequest(0, 0, sessionTimeoutMs, 0, new byte[16], false, true).write(out);
        out.setInt(0, out.readableBytes() - 4);
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(out, ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        batchNanos = System.nanoTime();
        while (in.readableBytes() >= 4 && failure == null) {
            int at = in.readerIndex();
            int length = in.getInt(at);
            if (length < (connected ? REPLY_HEADER : CONNECT_RESPONSE_MIN) || length > MAX_FRAME) {
                throw new CorruptedFrameException("reply length: " + length);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            if (connected) {
                reply(in, at + 4, length);
            } else {
                connected(ctx, in.slice(at + 4, length));
            }
            in.readerIndex(at + 4 + length);
        }
        if (failure != null) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        flush(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (closing && call == null) {
            drained.complete(null);
        } else {
            fail(new IllegalStateException("the server closed the connection"));
        }
        super.channelInactive(ctx);
    }

    private void connected(ChannelHandlerContext ctx, ByteBuf frame) {
        ConnectResponse response = ConnectResponse.read(new JuteInput(frame, frame.readableBytes()));
        if (response.timeOut() <= 0) {
            fail(new IllegalStateException("the server refused the session"));
            return;
        }
        connected = true;
        sessionId = response.sessionId();
        long every = Math.max(50, response.timeOut() / 6);
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(100, response.timeOut() / 3));
        pinger = ctx.executor().scheduleAtFixedRate(() -> ping(ctx, idleNanos), every, every, TimeUnit.MILLISECONDS);
        handshake.complete(null);
    }

    private void ping(ChannelHandlerContext ctx, long idleNanos) {
        if (failure == null && !closing && System.nanoTime() - lastWriteNanos >= idleNanos) {
            out().writeInt(8).writeInt(PING_XID).writeInt(OpCode.PING.code());
            flush(ctx);
        }
    }

    private void reply(ByteBuf in, int at, int length) {
        int xid = in.getInt(at);
        if (xid == NOTIFICATION_XID) {
            watchEvent(in, at + REPLY_HEADER, at + length);
            return;
        }
        if (xid == PING_XID) {
            return;
        }
        if (outstanding == 0 || sentXid[head] != xid) {
            fail(new IllegalStateException("reply with xid " + xid + " out of order (expected "
                    + (outstanding == 0 ? "none" : sentXid[head]) + ")"));
            return;
        }
        int err = in.getInt(at + 12);
        long sent = sentAt[head];
        byte kind = sentKind[head];
        head = (head + 1) & mask;
        outstanding--;
        if (kind == K_CALL) {
            CompletableFuture<Reply> f = call;
            call = null;
            byte[] body = new byte[length - REPLY_HEADER];
            in.getBytes(at + REPLY_HEADER, body);
            f.complete(new Reply(err, body));
            return;
        }
        if (kind == K_MULTI && err == 0) {
            err = multiError(in, at + REPLY_HEADER, at + length);
        }
        if (err != 0) {
            stats.error(err);
        } else {
            stats.record((batchNanos - sent) / 1000);
            if (kind == K_SET || kind == K_MULTI || kind == K_SET_FIRES) {
                writesOk++;
            }
            if (kind == K_SET_FIRES && ++watchEventsExpected > watchEvents) {
                fail(new IllegalStateException("the reply of a setData came before the event of the watch it "
                        + "fired on " + path));
                return;
            }
        }
        if (kind == K_CREATE && err == 0) {
            sendDelete(in, at + REPLY_HEADER, at + length);
        } else if (running) {
            if (periodNanos > 0) {
                sendDue();
            } else {
                issueNext();
            }
        } else if (outstanding == 0) {
            drained.complete(null);
        }
    }

    /**
     * A notification: only NodeDataChanged on this session's own znode is expected, and NodeDeleted once the run
     * stopped (the clean-up deletes the znode).
     */
    private void watchEvent(ByteBuf in, int at, int end) {
        int type = at + 12 <= end ? in.getInt(at) : -1;
        int n = at + 12 <= end ? in.getInt(at + 8) : -1;
        boolean ours = n == pathBytes.readableBytes() && at + 12 + n <= end
                && ByteBufUtil.equals(in, at + 12, pathBytes, 0, n);
        if (watch && ours && type == NODE_DELETED && !running) {
            return; // the clean-up's delete of a znode whose watch was still set
        }
        if (!watch || type != NODE_DATA_CHANGED || !ours) {
            fail(new IllegalStateException("unexpected watch event of type " + type + " for "
                    + (n >= 0 && at + 12 + n <= end ? in.toString(at + 12, n, StandardCharsets.UTF_8) : "?")
                    + " (session of " + path + ")"));
            return;
        }
        watchEvents++;
    }

    /** The first error code among the results of a multi reply, or 0 when every op succeeded. */
    private static int multiError(ByteBuf in, int at, int end) {
        int p = at;
        while (p + 9 <= end) {
            int type = in.getInt(p);
            boolean done = in.getByte(p + 4) != 0;
            p += 9;
            if (done) {
                return 0;
            }
            if (type == -1) {
                int code = p + 4 <= end ? in.getInt(p) : -5;
                if (code != 0) {
                    return code;
                }
                p += 4;
            } else if (type == OpCode.SET_DATA.code()) {
                p += 68;
            } else if (type != OpCode.CHECK.code()) {
                return -5;
            }
        }
        return -5;
    }

    /** Open loop: the timer fired. */
    private void tick() {
        ticker = null;
        if (!running || failure != null) {
            return;
        }
        batchNanos = System.nanoTime();
        sendDue();
        flush(context);
    }

    /**
     * Open loop: sends every request due by {@link #batchNanos} that the window allows (late ones are counted), then
     * arms the timer for the next one if the window has room (else a reply will send it).
     */
    private void sendDue() {
        while (outstanding < window && nextAt <= batchNanos) {
            stats.scheduledSent(batchNanos - nextAt > lateNanos);
            onSchedule = true;
            issueNext();
            onSchedule = false;
            nextAt += periodNanos;
        }
        if (outstanding < window && ticker == null) {
            ticker = channel.eventLoop().schedule(tick, nextAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    private void issueNext() {
        switch (workload) {
            case SET -> sendSet();
            case GET -> sendGet();
            case CREATE -> send(K_CREATE, OpCode.CREATE.code(), createBody);
            case MULTI -> sendMulti();
            default -> {
                if (nextPercent() < readPct) {
                    sendGet();
                } else {
                    sendSet();
                }
            }
        }
    }

    private void sendGet() {
        watchSet |= watch; // the server takes a session's requests in order: the watch is set before what follows
        send(K_GET, OpCode.GET_DATA.code(), getBody);
    }

    private void sendSet() {
        send(watchSet ? K_SET_FIRES : K_SET, OpCode.SET_DATA.code(), setBody);
        watchSet = false;
    }

    private int nextPercent() {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return (int) ((x >>> 1) % 100);
    }

    private void send(byte kind, int type, byte[] body) {
        int xid = xid();
        out().writeInt(8 + body.length).writeInt(xid).writeInt(type).writeBytes(body);
        push(xid, kind);
    }

    /** check(version the znode has once every earlier multi of this session applied) + setData. */
    private void sendMulti() {
        int xid = xid();
        out().writeInt(8 + multiHead.length + 4 + multiTail.length).writeInt(xid).writeInt(OpCode.MULTI.code())
                .writeBytes(multiHead).writeInt(checkVersion++).writeBytes(multiTail);
        push(xid, K_MULTI);
    }

    /** Deletes the znode a create reply names, copying its path straight from the reply. */
    private void sendDelete(ByteBuf in, int at, int end) {
        int n = at + 4 <= end ? in.getInt(at) : -1;
        if (n < 0 || at + 4 + n > end) {
            fail(new CorruptedFrameException("create reply without a path"));
            return;
        }
        int xid = xid();
        out().writeInt(8 + 4 + n + 4).writeInt(xid).writeInt(OpCode.DELETE.code())
                .writeInt(n).writeBytes(in, at + 4, n).writeInt(-1);
        push(xid, K_DELETE);
    }

    private int xid() {
        int xid = nextXid;
        nextXid = xid == Integer.MAX_VALUE ? 1 : xid + 1;
        return xid;
    }

    private void push(int xid, byte kind) {
        int slot = (head + outstanding) & mask;
        sentAt[slot] = onSchedule ? nextAt : batchNanos;
        sentXid[slot] = xid;
        sentKind[slot] = kind;
        outstanding++;
    }

    private ByteBuf out() {
        if (pending == null) {
            pending = channel.alloc().ioBuffer(Math.min(window, 64) * (24 + setBody.length));
        }
        return pending;
    }

    private void flush(ChannelHandlerContext ctx) {
        ByteBuf out = pending;
        if (out != null) {
            pending = null;
            lastWriteNanos = batchNanos;
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    private void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        if (closing && call == null) {
            channel.close();
            return;
        }
        failure = cause;
        running = false;
        disarm();
        stats.failure();
        if (pending != null) {
            pending.release();
            pending = null;
        }
        handshake.completeExceptionally(cause);
        drained.completeExceptionally(cause);
        if (call != null) {
            call.completeExceptionally(cause);
            call = null;
        }
        if (channel != null) {
            channel.close();
        }
    }
}
