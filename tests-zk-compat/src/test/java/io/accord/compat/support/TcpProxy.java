package io.accord.compat.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP forwarder between clients and a target. {@link #cut()} drops every forwarded
 * connection and makes new ones fail at once (accepted, then closed) until {@link #resume()}: the client
 * is cut off from the server while other clients keep working, which makes disconnects, catch-up on
 * reconnect and session expiry deterministic on any target.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    /** Forwards to the first {@code host:port} of {@code connectString}. */
    public TcpProxy(String connectString) {
        String first = connectString.split(",")[0];
        int colon = first.lastIndexOf(':');
        this.upstream = new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Closes every forwarded connection and refuses new ones until {@link #resume()}. */
    public void cut() {
        cut = true;
        closeSockets();
    }

    public void resume() {
        cut = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                quietClose(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(upstream, 5000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                quietClose(client);
            }
        }
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side went away or the proxy was cut
            } finally {
                quietClose(from);
                quietClose(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeSockets() {
        List<Socket> copy;
        synchronized (sockets) {
            copy = new ArrayList<>(sockets);
            sockets.clear();
        }
        copy.forEach(TcpProxy::quietClose);
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        closeSockets();
    }
}
