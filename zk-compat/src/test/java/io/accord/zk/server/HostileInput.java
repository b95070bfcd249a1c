package io.accord.zk.server;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.zk.proto.AddWatchRequest;
import io.accord.zk.proto.AuthPacket;
import io.accord.zk.proto.CheckVersionRequest;
import io.accord.zk.proto.CheckWatchesRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.CreateSessionRequest;
import io.accord.zk.proto.CreateTTLRequest;
import io.accord.zk.proto.DeleteContainerRequest;
import io.accord.zk.proto.DeleteRequest;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.GetACLRequest;
import io.accord.zk.proto.GetAllChildrenNumberRequest;
import io.accord.zk.proto.GetChildren2Request;
import io.accord.zk.proto.GetChildrenRequest;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.GetEphemeralsRequest;
import io.accord.zk.proto.GetSASLRequest;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.MultiRequest;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.ReconfigRequest;
import io.accord.zk.proto.RemoveWatchesRequest;
import io.accord.zk.proto.SetACLRequest;
import io.accord.zk.proto.SetDataRequest;
import io.accord.zk.proto.SetWatches;
import io.accord.zk.proto.SetWatches2;
import io.accord.zk.proto.SyncRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile client byte streams: random bytes, frames with random bodies, well-formed requests
 * of every opcode with bytes flipped or ints overwritten (negative lengths and counts, huge counts), truncated,
 * oversized and negative-length frames, deep and invalid paths, invalid UTF-8, unknown opcodes, requests before
 * the handshake and a second handshake. The same seed gives the same streams.
 *
 * <p>A stream is {@link Case#complete() complete} when every frame in it has its whole announced length: the
 * server then has nothing left to wait for, so a ping appended to it is either answered or the connection is
 * closed. An incomplete stream ends inside a frame (the client hangs up after it).
 */
final class HostileInput {
    /** How many iterations the fuzz tests run: {@code -Dfuzz.iterations=N} for a longer run. */
    static int iterations(int ciDefault) {
        return Integer.getInteger("fuzz.iterations", ciDefault);
    }

    /** What was generated, how, and whether the first frame is a ConnectRequest (the first answer then is one). */
    record Case(String kind, byte[] bytes, boolean complete, boolean handshake) {
    }

    private static final int[] INTERESTING_INTS = {-2, -1, 0, 1, 2, 16, 255, 0x7f, 0x80, 0xffff, 0xfffff, 0x100000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 3, -16};
    private static final String[] PATHS = {"/", "/fuzz", "/fuzz/a", "/fuzz/b/c", "/zookeeper", "/zookeeper/config",
        "/zookeeper/quota", "", "//", "/fuzz/", "/fuzz/./x", "/fuzz/../x", "fuzz", "/\u0000", "/\u0001x",
        "/\uD800", "/\uFFFE", "/fuzz/\u00e9\u20ac", "/fuzz/x/"};

    private final Random random;
    private final int maxFrame;

    HostileInput(long seed, int maxFrame) {
        this.random = new Random(seed);
        this.maxFrame = maxFrame;
    }

    Case next() {
        return switch (random.nextInt(13)) {
            case 0 -> randomBytes();
            case 1 -> new Case("request-before-handshake", frameOf(golden()), true, false);
            case 2 -> afterHandshake("random-bodies", this::randomBodyFrame);
            case 3, 4, 5 -> afterHandshake("mutated", () -> mutateFrame(frameOf(golden())));
            case 6 -> truncated();
            case 7 -> afterHandshake("oversized", () -> lengthOnly(maxFrame + 1 + random.nextInt(1000)));
            case 8 -> afterHandshake("negative-length", () -> lengthOnly(-1 - random.nextInt(Integer.MAX_VALUE)));
            case 9 -> afterHandshake("paths", () -> frameOf(withPath(hostilePath())));
            case 10 -> afterHandshake("unknown-opcode", this::unknownOpcode);
            case 11 -> afterHandshake("second-handshake", () -> frameOf(connect()));
            default -> mutatedConnect();
        };
    }

    // ------------------------------------------------------------------ kinds of stream

    private Case randomBytes() {
        byte[] junk = new byte[1 + random.nextInt(300)];
        random.nextBytes(junk);
        // never a known four-letter word (those are answered, not refused): a first byte outside 'a'..'z'
        if (junk[0] >= 'a' && junk[0] <= 'z') {
            junk[0] = (byte) (junk[0] - 'a');
        }
        int length = junk.length >= 4 ? ByteBuffer.wrap(junk).getInt() : -1;
        boolean complete = junk.length >= 4 && (length < 0 || length > maxFrame);
        return new Case("random-bytes", junk, complete, false);
    }

    private Case truncated() {
        byte[] whole = frameOf(golden());
        int cut = 1 + random.nextInt(whole.length - 1);
        byte[] part = new byte[cut];
        System.arraycopy(whole, 0, part, 0, cut);
        return new Case("truncated", concat(frameOf(connect()), part), false, true);
    }

    private Case mutatedConnect() {
        byte[] body = bytes(connect());
        mutate(body);
        return new Case("mutated-connect", frameOf(body), true, true);
    }

    private interface FrameSource {
        byte[] next();
    }

    private Case afterHandshake(String kind, FrameSource source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frameOf(connect()));
        int frames = 1 + random.nextInt(4);
        for (int i = 0; i < frames; i++) {
            if (random.nextInt(3) == 0) {
                out.writeBytes(frameOf(golden())); // valid requests interleaved with the hostile ones
            }
            out.writeBytes(source.next());
        }
        return new Case(kind, out.toByteArray(), true, true);
    }

    // ------------------------------------------------------------------ frames

    private byte[] randomBodyFrame() {
        byte[] body = new byte[random.nextInt(64)];
        random.nextBytes(body);
        if (body.length >= 8 && random.nextBoolean()) { // a real opcode, so the body reader runs
            ByteBuffer.wrap(body).putInt(4, randomOp().code());
        }
        return frameOf(body);
    }

    private byte[] unknownOpcode() {
        int type;
        do {
            type = random.nextBoolean() ? random.nextInt(300) - 20 : random.nextInt();
        } while (OpCode.of(type) != null);
        ByteBuffer header = ByteBuffer.allocate(8 + random.nextInt(20)).putInt(random.nextInt()).putInt(type);
        return frameOf(header.array());
    }

    private byte[] lengthOnly(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    /** A frame whose body has been mutated; its length prefix still counts the (possibly resized) body. */
    private byte[] mutateFrame(byte[] frame) {
        byte[] body = new byte[frame.length - 4];
        System.arraycopy(frame, 4, body, 0, body.length);
        body = mutate(body);
        return frameOf(body);
    }

    private byte[] mutate(byte[] body) {
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && body.length > 0; r++) {
            int at = random.nextInt(body.length);
            switch (random.nextInt(5)) {
                case 0 -> body[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> body[at] = (byte) INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                case 2 -> { // an int field (a length, count, version, flags...) set to a hostile value
                    if (body.length >= 4) {
                        ByteBuffer.wrap(body).putInt(random.nextInt(body.length - 3),
                                INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
                    }
                }
                case 3 -> body = java.util.Arrays.copyOf(body, at); // cut short
                default -> { // bytes inserted
                    byte[] more = new byte[1 + random.nextInt(8)];
                    random.nextBytes(more);
                    body = concat(java.util.Arrays.copyOf(body, at), more,
                            java.util.Arrays.copyOfRange(body, at, body.length));
                }
            }
        }
        return body;
    }

    private byte[] withPath(byte[] path) {
        // an exists/getData/getChildren/delete/sync/getACL frame whose ustring path is exactly these bytes
        int[] types = {3, 4, 8, 12, 2, 9, 6, 104, 103};
        int type = types[random.nextInt(types.length)];
        ByteBuffer body = ByteBuffer.allocate(8 + 4 + path.length + 5);
        body.putInt(random.nextInt(1000)).putInt(type).putInt(path.length).put(path);
        body.put((byte) 0).putInt(-1); // watch flag / version, whichever the opcode reads
        return frameOf(body.array());
    }

    private byte[] hostilePath() {
        switch (random.nextInt(5)) {
            case 0 -> { // deep
                StringBuilder deep = new StringBuilder();
                int depth = 1 + random.nextInt(Math.max(1, (maxFrame - 64) / 2));
                for (int i = 0; i < depth; i++) {
                    deep.append("/a");
                }
                return deep.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> { // invalid UTF-8: lone continuation, overlong, truncated sequences, surrogates
                byte[][] bad = {{(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe2, (byte) 0x82},
                    {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xff}, {(byte) 0xf4, (byte) 0x90, 0, 0}};
                return concat("/fuzz/".getBytes(StandardCharsets.UTF_8), bad[random.nextInt(bad.length)]);
            }
            case 2 -> {
                byte[] raw = new byte[1 + random.nextInt(40)];
                random.nextBytes(raw);
                raw[0] = '/';
                return raw;
            }
            default -> {
                return PATHS[random.nextInt(PATHS.length)].getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    // ------------------------------------------------------------------ well-formed requests

    private ConnectRequest connect() {
        return new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, random.nextBoolean());
    }

    /** A well-formed request of a random opcode (header + body, no length). */
    byte[] golden() {
        OpCode op = randomOp();
        String path = PATHS[random.nextInt(3) + 1] + (random.nextBoolean() ? "" : "/n" + random.nextInt(5));
        List<Acl> acl = random.nextBoolean() ? Acl.OPEN_ACL_UNSAFE
                : List.of(new Acl(31, new Id("digest", "u:" + random.nextInt(9))), new Acl(1, Id.ANYONE));
        byte[] data = new byte[random.nextInt(32)];
        random.nextBytes(data);
        JuteRecord body = switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER -> new CreateRequest(path, data, acl, random.nextInt(4));
            case CREATE_TTL -> new CreateTTLRequest(path, data, acl, 5, 1 + random.nextInt(100_000));
            case DELETE -> new DeleteRequest(path, -1);
            case EXISTS -> new ExistsRequest(path, random.nextBoolean());
            case GET_DATA -> new GetDataRequest(path, random.nextBoolean());
            case SET_DATA -> new SetDataRequest(path, data, -1);
            case GET_ACL -> new GetACLRequest(path);
            case SET_ACL -> new SetACLRequest(path, acl, -1);
            case GET_CHILDREN -> new GetChildrenRequest(path, random.nextBoolean());
            case GET_CHILDREN2 -> new GetChildren2Request(path, random.nextBoolean());
            case SYNC -> new SyncRequest(path);
            case CHECK -> new CheckVersionRequest(path, random.nextInt(3) - 1);
            case MULTI -> new MultiRequest(List.of(
                    new MultiRequest.Op(OpCode.CREATE, new CreateRequest(path, data, acl, 0)),
                    new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(path, 0)),
                    new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(path, data, -1)),
                    new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(path, -1))));
            case MULTI_READ -> new MultiRequest(List.of(
                    new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest(path, false)),
                    new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest("/", false))));
            case RECONFIG -> new ReconfigRequest(null, null, "server.1=x:1:2", -1);
            case CHECK_WATCHES -> new CheckWatchesRequest(path, 1 + random.nextInt(3));
            case REMOVE_WATCHES -> new RemoveWatchesRequest(path, 1 + random.nextInt(3));
            case DELETE_CONTAINER -> new DeleteContainerRequest(path.getBytes(StandardCharsets.UTF_8));
            case AUTH -> new AuthPacket(0, random.nextBoolean() ? "digest" : "ip",
                    ("u:" + random.nextInt(9)).getBytes(StandardCharsets.UTF_8));
            case SET_WATCHES -> new SetWatches(0, List.of(path), List.of(path, "/"), List.of("/"));
            case SET_WATCHES2 -> new SetWatches2(0, List.of(path), List.of(), List.of("/"), List.of(path),
                    List.of("/fuzz"));
            case SASL -> new GetSASLRequest(data);
            case GET_EPHEMERALS -> new GetEphemeralsRequest(path);
            case GET_ALL_CHILDREN_NUMBER -> new GetAllChildrenNumberRequest(path);
            case ADD_WATCH -> new AddWatchRequest(path, random.nextInt(2));
            case CREATE_SESSION -> new CreateSessionRequest(true, 30_000);
            case PING, WHO_AM_I, CLOSE_SESSION -> null;
        };
        int xid = op == OpCode.PING ? -2 : 1 + random.nextInt(1_000_000);
        ByteBuffer header = ByteBuffer.allocate(8).putInt(xid).putInt(op.code());
        return body == null ? header.array() : concat(header.array(), bytes(body));
    }

    /**
     * Any opcode but closeSession: a session closed on request is closed without a complaint in the log, and the
     * socket test expects one log line for every connection the server closed.
     */
    private OpCode randomOp() {
        OpCode[] ops = OpCode.values();
        OpCode op;
        do {
            op = ops[random.nextInt(ops.length)];
        } while (op == OpCode.CLOSE_SESSION);
        return op;
    }

    // ------------------------------------------------------------------ bytes

    static byte[] bytes(JuteRecord record) {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer();
        try {
            record.write(buf);
            return io.netty.buffer.ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] frameOf(JuteRecord record) {
        return frameOf(bytes(record));
    }

    static byte[] frameOf(byte[] body) {
        return concat(ByteBuffer.allocate(4).putInt(body.length).array(), body);
    }

    /** A ping (xid -2), the probe that tells whether a connection still serves. */
    static byte[] ping() {
        return frameOf(ByteBuffer.allocate(8).putInt(-2).putInt(OpCode.PING.code()).array());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Splits bytes into random chunks, as TCP may deliver them. */
    List<byte[]> chunks(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 256));
            out.add(java.util.Arrays.copyOfRange(bytes, at, at + n));
            at += n;
        }
        return out;
    }
}
