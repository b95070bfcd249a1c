package io.accord.tools;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for tests that start {@code accord} processes. */
final class TestPorts {
    private TestPorts() {
    }

    /** The first of {@code count} consecutive ports in 20000..30000 free for TCP (and UDP when asked). */
    static int freePorts(int count, boolean udp) {
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(base, count, udp)) {
                return base;
            }
        }
        throw new AssertionError("no " + count + " consecutive free ports in 20000..30000");
    }

    private static boolean free(int base, int count, boolean udp) {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            for (int p = base; p < base + count; p++) {
                InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
                held.add(udp ? new DatagramSocket(a) : new ServerSocket(p, 1, a.getAddress()));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a probe socket
                }
            }
        }
    }
}
