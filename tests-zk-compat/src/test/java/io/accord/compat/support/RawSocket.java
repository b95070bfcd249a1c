package io.accord.compat.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * One plain TCP connection to a target's client port, speaking jute frame by frame with the real
 * client's record classes, for what the ZooKeeper client library never sends (a 44-byte handshake, a
 * client ahead of the server, odd xids, unknown opcodes).
 */
public final class RawSocket implements AutoCloseable {

    /** A reply frame: the header and the raw body that followed it. */
    public record Reply(ReplyHeader header, byte[] body) {
        public int xid() {
            return header.getXid();
        }

        public long zxid() {
            return header.getZxid();
        }

        public int err() {
            return header.getErr();
        }

        /** Reads the body into {@code record} and returns it. */
        public <T extends Record> T read(T record) {
            try {
                record.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(body)), "body");
                return record;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "Reply{xid=" + xid() + ", zxid=" + zxid() + ", err=" + err() + ", body=" + body.length + " bytes}";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** Connects to the first {@code host:port} of {@code connectString}. */
    public RawSocket(String connectString) throws IOException {
        String hostPort = connectString.split(",")[0];
        int colon = hostPort.lastIndexOf(':');
        socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * The ConnectRequest payload as the clients write it: {@code protocolVersion 0, lastZxidSeen,
     * timeOut, sessionId, passwd}, then the readOnly byte (false) only if {@code readOnlyByte}: 45 bytes
     * with it, 44 without, for a 16-byte password.
     */
    public static byte[] connectRequest(long lastZxidSeen, int timeoutMs, long sessionId, byte[] passwd, boolean readOnlyByte) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(0);
            data.writeLong(lastZxidSeen);
            data.writeInt(timeoutMs);
            data.writeLong(sessionId);
            data.writeInt(passwd.length);
            data.write(passwd);
            if (readOnlyByte) {
                data.writeBoolean(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A new-session ConnectRequest (30 s, zero password) with or without the readOnly byte. */
    public static byte[] newSession(boolean readOnlyByte) {
        return connectRequest(0, 30_000, 0, new byte[16], readOnlyByte);
    }

    /** A frame: the 4-byte length, then {@code payload}. */
    public static byte[] frame(byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(payload.length);
            data.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A request frame: {@code RequestHeader{xid, type}} and then {@code body} if not null. */
    public static byte[] request(int xid, int type, Record body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(bytes);
        try {
            new RequestHeader(xid, type).serialize(archive, "header");
            if (body != null) {
                body.serialize(archive, "request");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame(bytes.toByteArray());
    }

    public void send(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** The payload of the next frame, or null if the server closed the connection first. */
    public byte[] readPayload() throws IOException {
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

    /** Sends a new-session handshake (with the readOnly byte) and returns the response. */
    public ConnectResponse handshake() throws IOException {
        send(frame(newSession(true)));
        byte[] payload = readPayload();
        if (payload == null) {
            throw new IOException("the server closed the connection instead of answering the handshake");
        }
        return connectResponse(payload);
    }

    /** Parses a ConnectResponse payload; a 36-byte one has no readOnly byte (taken as false). */
    public static ConnectResponse connectResponse(byte[] payload) throws IOException {
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(payload));
        ConnectResponse response = new ConnectResponse();
        response.setProtocolVersion(data.readInt());
        response.setTimeOut(data.readInt());
        response.setSessionId(data.readLong());
        byte[] passwd = new byte[data.readInt()];
        data.readFully(passwd);
        response.setPasswd(passwd);
        response.setReadOnly(data.available() > 0 && data.readBoolean());
        return response;
    }

    /** The next reply frame, or null if the server closed the connection first. */
    public Reply readReply() throws IOException {
        byte[] payload = readPayload();
        if (payload == null) {
            return null;
        }
        ReplyHeader header = new ReplyHeader();
        header.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(payload)), "header");
        byte[] body = new byte[payload.length - 16];
        System.arraycopy(payload, 16, body, 0, body.length);
        return new Reply(header, body);
    }

    /**
     * Whether the server closes the connection (end of stream or reset) within the read timeout, with
     * nothing more sent; any byte read instead fails with the byte in the message.
     */
    public boolean closedByServer() throws IOException {
        try {
            int next = in.read();
            if (next != -1) {
                throw new AssertionError("expected the server to close the connection, but it sent byte " + next);
            }
            return true;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Shortens the read timeout, e.g. to show that the server keeps a connection open. */
    public void readTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
