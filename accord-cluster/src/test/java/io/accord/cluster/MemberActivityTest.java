package io.accord.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link MemberActivity}, the activity mode of {@link LowCpuIdleStrategy}, and {@link Doorbell} on real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemberActivityTest {
    private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MIN = 1_000;
    private static final long MAX = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long DEEP_AFTER = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long DEEP = TimeUnit.MICROSECONDS.toNanos(400);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static void awaitQuiet(MemberActivity a) {
        TestCluster.await(() -> a.quiet(System.nanoTime()), WAIT, () -> "activity never went quiet");
    }

    @Test
    void activeReportsTheEndOfAQuietSpellOnlyOnce() {
        MemberActivity a = new MemberActivity(QUIET);
        assertFalse(a.quiet(System.nanoTime()), "a member that just started is active");
        assertFalse(a.active(), "not quiet before");
        awaitQuiet(a);
        assertTrue(a.active(), "this call ended the quiet spell");
        assertFalse(a.active());
        assertFalse(a.quiet(System.nanoTime()));
        assertThrows(IllegalArgumentException.class, () -> new MemberActivity(1));
    }

    @Test
    void agentsStayOutOfDeepParksWhileActiveAndHeartbeatsDoNotEndAQuietSpell() {
        MemberActivity a = new MemberActivity(QUIET);
        long created = System.nanoTime();
        LowCpuIdleStrategy s = new LowCpuIdleStrategy(2, 2, MIN, MAX, DEEP_AFTER, DEEP, a, 4096);
        while (System.nanoTime() - created < QUIET / 4) { // well past DEEP_AFTER, well inside the quiet period
            s.idle(0);
            assertTrue(s.currentParkNs() <= MAX, "a deep park while the member is active: " + s.currentParkNs());
        }
        TestCluster.await(() -> {
            s.idle(0);
            return s.currentParkNs() == DEEP;
        }, WAIT, () -> "no deep park once quiet");
        assertTrue(System.nanoTime() - created >= QUIET, "deep parks only once the member is quiet");
        s.idle(1); // a heartbeat
        s.idle(0);
        assertEquals(DEEP, s.currentParkNs(), "straight back to the deep park: no spins, no ramp");
        s.idle(1);
        s.idle(1); // close works: traffic to an agent alone, but not client work
        s.idle(0);
        assertEquals(DEEP, s.currentParkNs(), "close works do not end a quiet spell");
        s.idle(4096); // a bulk transfer (catch-up, snapshot)
        s.idle(0);
        assertEquals(0, s.currentParkNs(), "bulk work ends the deep spell: spinning again");
        TestCluster.await(() -> {
            s.idle(0);
            return s.currentParkNs() == DEEP;
        }, WAIT, () -> "no deep park after the bulk work stopped");
        a.active();
        s.idle(0);
        assertEquals(0, s.currentParkNs(), "client work ends the deep spell");
    }

    @Test
    void clientWorkUnparksAnAgentInItsDeepPark() throws Exception {
        MemberActivity a = new MemberActivity(QUIET);
        long deep = TimeUnit.SECONDS.toNanos(60);
        LowCpuIdleStrategy s = new LowCpuIdleStrategy(2, 2, MIN, MAX, DEEP_AFTER, deep, a, 4096);
        AtomicLong idles = new AtomicLong();
        Thread agent = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                s.idle(0);
                idles.incrementAndGet();
            }
        }, "test-agent");
        agent.setDaemon(true);
        agent.start();
        try {
            TestCluster.await(() -> a.dozing() && agent.getState() == Thread.State.TIMED_WAITING, WAIT,
                    () -> "the agent never dozed off");
            long before = idles.get();
            Thread.sleep(200); // a check that nothing happens: the agent sleeps its 60 s park
            assertEquals(before, idles.get(), "the agent woke without a reason");
            long t0 = System.nanoTime();
            a.active();
            TestCluster.await(() -> idles.get() > before, WAIT, () -> "the doorbell did not wake the agent");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "woken by the doorbell, not its park");
            assertFalse(a.dozing());
        } finally {
            agent.interrupt();
            LockSupport.unpark(agent);
            agent.join(5_000);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRingWakesTheOtherMembersAndAStrangerCannotRingIt() throws Exception {
        List<Member> members = List.of(new Member(1, "127.0.0.1", freePort()), new Member(2, "127.0.0.1",
                freePort()), new Member(3, "127.0.0.1", freePort()));
        MemberActivity a1 = new MemberActivity(QUIET);
        MemberActivity a2 = new MemberActivity(QUIET);
        Doorbell d1 = Doorbell.start(1, members, a1);
        Doorbell d2 = Doorbell.start(2, members, a2);
        // Member 3 is down: a ring must still reach member 2 and not hang on member 3.
        assertNotNull(d1);
        assertNotNull(d2);
        try {
            awaitQuiet(a1);
            awaitQuiet(a2);
            try (Socket s = new Socket()) { // not a doorbell message
                s.connect(new InetSocketAddress("127.0.0.1", members.get(1).basePort()));
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            try (Socket s = new Socket()) { // connects and says nothing: closed after the read timeout
                s.connect(new InetSocketAddress("127.0.0.1", members.get(1).basePort()));
            }
            TestCluster.await(() -> d2.ignored() == 2, WAIT, () -> "member 2 did not turn both strangers away");
            assertTrue(a2.quiet(System.nanoTime()), "a stranger's bytes woke member 2");
            assertEquals(0, d2.heard());

            a1.activeEverywhere();
            assertFalse(a1.quiet(System.nanoTime()));
            TestCluster.await(() -> !a2.quiet(System.nanoTime()), WAIT, () -> "member 2 was not woken");
            assertEquals(1, d2.heard());
            assertEquals(1, d1.rings());
            a1.activeEverywhere(); // not quiet any more: no second ring
            assertEquals(1, d1.rings());
        } finally {
            d1.close();
            d2.close();
        }
    }

    @Test
    void aMemberThatCannotBindItsPortRunsWithoutADoorbell() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<Member> members = List.of(new Member(1, "127.0.0.1", taken.getLocalPort()),
                    new Member(2, "127.0.0.1", freePort()));
            assertNull(Doorbell.start(1, members, new MemberActivity(QUIET)));
        }
        assertNull(Doorbell.start(1, List.of(new Member(1, "127.0.0.1", freePort())), new MemberActivity(QUIET)),
                "a single member has nobody to ring");
    }
}
