package io.accord.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Asks a ZooKeeper-protocol server a four-letter word over a fresh connection, as {@code nc} would. */
public final class FourLetterWords {
    static final int CONNECT_TIMEOUT_MS = 2000;
    static final int READ_TIMEOUT_MS = 5000;

    private FourLetterWords() {
    }

    /** The whole answer (the server closes the connection after it). */
    public static String ask(String host, int port, String word) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The answer of a server on this machine, or null while nothing answers on {@code port}. */
    public static String askLocal(int port, String word) {
        try {
            return ask("127.0.0.1", port, word);
        } catch (IOException e) {
            return null;
        }
    }
}
