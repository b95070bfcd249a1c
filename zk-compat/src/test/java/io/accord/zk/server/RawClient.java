package io.accord.zk.server;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.ConnectResponse;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.ReplyHeader;
import io.accord.zk.proto.RequestHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** A hand-written jute client over a plain socket, for what the real client never sends. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** One reply frame: its header and the body, readable with {@link #body}. */
    record Frame(ReplyHeader header, byte[] body) {
        JuteInput input() {
            return new JuteInput(Unpooled.wrappedBuffer(body), 0xfffff);
        }
    }

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] frame(JuteRecord... records) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(0);
        for (JuteRecord r : records) {
            r.write(buf);
        }
        buf.setInt(0, buf.readableBytes() - 4);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    static byte[] request(int xid, int type, JuteRecord... body) {
        JuteRecord[] records = new JuteRecord[body.length + 1];
        records[0] = new RequestHeader(xid, type);
        System.arraycopy(body, 0, records, 1, body.length);
        return frame(records);
    }

    static ConnectRequest newSession(boolean readOnlyByte) {
        return new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, readOnlyByte);
    }

    void send(byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.write(p);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** The next frame's payload, or null if the server closed the connection. */
    byte[] readPayload() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException | SocketException e) {
            return null;
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    ConnectResponse connect(ConnectRequest request) throws IOException {
        send(frame(request));
        return readConnectResponse();
    }

    ConnectResponse readConnectResponse() throws IOException {
        byte[] payload = readPayload();
        if (payload == null) {
            return null;
        }
        return ConnectResponse.read(new JuteInput(Unpooled.wrappedBuffer(payload), 0xfffff));
    }

    Frame readFrame() throws IOException {
        byte[] payload = readPayload();
        if (payload == null) {
            return null;
        }
        JuteInput input = new JuteInput(Unpooled.wrappedBuffer(payload), 0xfffff);
        ReplyHeader header = ReplyHeader.read(input);
        byte[] body = new byte[payload.length - 16];
        System.arraycopy(payload, 16, body, 0, body.length);
        return new Frame(header, body);
    }

    /** Whether the server closed the connection (EOF or reset) before the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
