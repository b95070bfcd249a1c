package io.accord.compat.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ZooKeeper CLI ({@code zkCli.sh}: {@code org.apache.zookeeper.ZooKeeperMain} of the real 3.9.5 jar)
 * connected to a server, one command line at a time, returning what it prints.
 *
 * <p>The CLI needs commons-cli, which the zookeeper artifact declares {@code provided} (zkCli.sh ships it
 * in its lib directory), so the CLI and its client run in a class loader of their own made of the
 * zookeeper and zookeeper-jute jars of the test class path plus commons-cli 1.5.0 (the version
 * ZooKeeper 3.9.5 builds with) from the same local Maven repository. Everything else (slf4j, netty, the
 * JDK) comes from the test class path.
 *
 * <p>Watch notifications go to the session's default watcher, which the CLI would print from the
 * client's event thread at any time; they are queued instead, and {@link #nextNotification} takes them.
 */
public final class ZkCli implements AutoCloseable {

    private static final String COMMONS_CLI = "commons-cli/commons-cli/1.5.0/commons-cli-1.5.0.jar";
    /** Guards the redirection of System.out/System.err and of the CLI commands' streams (JVM-wide). */
    private static final Object CONSOLE = new Object();
    private static ClassLoader loader;

    private final AutoCloseable zk;
    private final Object main;
    private final Method executeLine;
    private final Map<?, ?> commands;
    private final Method setOut;
    private final Method setErr;
    private final long sessionId;
    private final BlockingQueue<String> notifications;

    private ZkCli(AutoCloseable zk, Object main, long sessionId, BlockingQueue<String> notifications)
        throws ReflectiveOperationException {
        this.zk = zk;
        this.notifications = notifications;
        this.main = main;
        this.sessionId = sessionId;
        ClassLoader cl = main.getClass().getClassLoader();
        this.executeLine = main.getClass().getMethod("executeLine", String.class);
        var field = main.getClass().getDeclaredField("commandMapCli");
        field.setAccessible(true);
        this.commands = (Map<?, ?>) field.get(null);
        Class<?> cliCommand = cl.loadClass("org.apache.zookeeper.cli.CliCommand");
        this.setOut = cliCommand.getMethod("setOut", PrintStream.class);
        this.setErr = cliCommand.getMethod("setErr", PrintStream.class);
    }

    /** Connects a CLI (as {@code zkCli.sh -server connectString} does) and waits for the session. */
    public static ZkCli connect(String connectString, int sessionTimeoutMs) throws Exception {
        ClassLoader cl = cliClassLoader();
        Class<?> zkClass = cl.loadClass("org.apache.zookeeper.ZooKeeper");
        Class<?> watcherClass = cl.loadClass("org.apache.zookeeper.Watcher");
        CountDownLatch connected = new CountDownLatch(1);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Object watcher = Proxy.newProxyInstance(cl, new Class<?>[] {watcherClass}, (proxy, method, args) -> {
            if (method.getName().equals("process")) {
                Object event = args[0];
                String type = String.valueOf(event.getClass().getMethod("getType").invoke(event));
                String state = String.valueOf(event.getClass().getMethod("getState").invoke(event));
                if (type.equals("None")) {
                    if (state.equals("SyncConnected")) {
                        connected.countDown();
                    }
                } else {
                    queue.add(event.toString());
                }
                return null;
            }
            if (method.getName().equals("toString")) {
                return "ZkCli watcher";
            }
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            return null;
        });
        AutoCloseable zk = (AutoCloseable) zkClass.getConstructor(String.class, int.class, watcherClass)
            .newInstance(connectString, sessionTimeoutMs, watcher);
        try {
            if (!connected.await(Await.DEFAULT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("CLI did not connect to " + connectString + " within " + Await.DEFAULT);
            }
            Object main = cl.loadClass("org.apache.zookeeper.ZooKeeperMain").getConstructor(zkClass).newInstance(zk);
            long sessionId = (Long) zkClass.getMethod("getSessionId").invoke(zk);
            return new ZkCli(zk, main, sessionId, queue);
        } catch (Exception | Error e) {
            zk.close();
            throw e;
        }
    }

    public long sessionId() {
        return sessionId;
    }

    /** The next watch notification ({@code WatchedEvent.toString()}), or null if none comes within the timeout. */
    public String nextNotification(long timeoutMs) throws InterruptedException {
        return notifications.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** A notification that is already here, or null; never waits. */
    public String pollNotification() {
        return notifications.poll();
    }

    /** Runs one command line and returns what the CLI printed: {@code [out]} and {@code [err]} sections. */
    public String execute(String line) throws Exception {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        Thread self = Thread.currentThread();
        synchronized (CONSOLE) {
            PrintStream originalOut = System.out;
            PrintStream originalErr = System.err;
            PrintStream out = new PrintStream(new ThisThreadOnly(self, outBytes, originalOut), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new ThisThreadOnly(self, errBytes, originalErr), true, StandardCharsets.UTF_8);
            System.setOut(out);
            System.setErr(err);
            for (Object command : commands.values()) {
                setOut.invoke(command, out);
                setErr.invoke(command, err);
            }
            try {
                executeLine.invoke(main, line);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            } finally {
                System.setOut(originalOut);
                System.setErr(originalErr);
                for (Object command : commands.values()) {
                    setOut.invoke(command, originalOut);
                    setErr.invoke(command, originalErr);
                }
                out.flush();
                err.flush();
            }
        }
        StringBuilder printed = new StringBuilder();
        String o = outBytes.toString(StandardCharsets.UTF_8);
        String e = errBytes.toString(StandardCharsets.UTF_8);
        if (!o.isEmpty()) {
            printed.append("[out]\n").append(o).append(o.endsWith("\n") ? "" : "\n");
        }
        if (!e.isEmpty()) {
            printed.append("[err]\n").append(e).append(e.endsWith("\n") ? "" : "\n");
        }
        return printed.toString();
    }

    @Override
    public void close() throws Exception {
        zk.close();
    }

    /** zookeeper + zookeeper-jute (from the test class path) + commons-cli, loaded child-first. */
    private static synchronized ClassLoader cliClassLoader() throws IOException {
        if (loader == null) {
            Path zookeeperJar = jarOf(org.apache.zookeeper.ZooKeeper.class);
            Path juteJar = jarOf(org.apache.jute.Record.class);
            // <repo>/org/apache/zookeeper/zookeeper/<version>/zookeeper-<version>.jar
            Path repository = zookeeperJar.getParent().getParent().getParent().getParent().getParent().getParent();
            Path commonsCli = repository.resolve(COMMONS_CLI);
            if (!Files.isRegularFile(commonsCli)) {
                throw new IllegalStateException("zkCli.sh needs " + commonsCli + " (mvn dependency:get -Dartifact=commons-cli:commons-cli:1.5.0)");
            }
            loader = new ChildFirst(new URL[] {url(zookeeperJar), url(juteJar), url(commonsCli)}, ZkCli.class.getClassLoader());
        }
        return loader;
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL url(Path path) throws MalformedURLException {
        return path.toUri().toURL();
    }

    /** Loads ZooKeeper, jute and commons-cli classes from its own jars, everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!(name.startsWith("org.apache.zookeeper.") || name.startsWith("org.apache.jute.")
                    || name.startsWith("org.apache.commons.cli."))) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** Sends what the given thread writes to the capture, and what other threads write where it went before. */
    private static final class ThisThreadOnly extends OutputStream {
        private final Thread owner;
        private final OutputStream capture;
        private final OutputStream others;

        ThisThreadOnly(Thread owner, OutputStream capture, OutputStream others) {
            this.owner = owner;
            this.capture = capture;
            this.others = others;
        }

        @Override
        public void write(int b) throws IOException {
            (Thread.currentThread() == owner ? capture : others).write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            (Thread.currentThread() == owner ? capture : others).write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            others.flush();
        }
    }
}
