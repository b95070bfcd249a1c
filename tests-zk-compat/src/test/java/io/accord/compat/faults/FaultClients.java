package io.accord.compat.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.HostProvider;

/**
 * Real ZooKeeper and Curator clients of a {@link FaultCluster} that know every member but start at a chosen one,
 * so the workloads' clients are spread over all members and fail over to the others.
 */
final class FaultClients {
    /** Client session timeout: shorter than the pauses the faults inject. */
    static final int SESSION_TIMEOUT_MS = 4000;

    private FaultClients() {
    }

    /** Member addresses in the order first, first+1, ... (wrapping), tried round-robin; no shuffling. */
    static final class RotatingHosts implements HostProvider {
        private final List<InetSocketAddress> hosts = new ArrayList<>();
        private int next;
        private int sinceConnected;

        RotatingHosts(FaultCluster cluster, int first) {
            for (int i = 0; i < FaultCluster.MEMBERS; i++) {
                int id = 1 + (first - 1 + i) % FaultCluster.MEMBERS;
                hosts.add(new InetSocketAddress("127.0.0.1", cluster.clientPort(id)));
            }
        }

        @Override
        public synchronized int size() {
            return hosts.size();
        }

        @Override
        public InetSocketAddress next(long spinDelay) {
            boolean sleep;
            InetSocketAddress host;
            synchronized (this) {
                sleep = sinceConnected >= hosts.size() && spinDelay > 0;
                host = hosts.get(next);
                next = (next + 1) % hosts.size();
                sinceConnected++;
            }
            if (sleep) {
                try {
                    Thread.sleep(spinDelay); // every member was tried since the last connection: back off
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return host;
        }

        @Override
        public synchronized void onConnected() {
            sinceConnected = 0;
        }

        @Override
        public boolean updateServerList(Collection<InetSocketAddress> serverAddresses, InetSocketAddress current) {
            return false;
        }
    }

    static String connectString(FaultCluster cluster) {
        StringBuilder b = new StringBuilder();
        for (int id = 1; id <= FaultCluster.MEMBERS; id++) {
            b.append(id > 1 ? "," : "").append("127.0.0.1:").append(cluster.clientPort(id));
        }
        return b.toString();
    }

    /** A ZooKeeper client starting at member {@code first}; waits up to 30 s for its session (null if none came). */
    static ZooKeeper zk(FaultCluster cluster, int first, Watcher watcher) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString(cluster), SESSION_TIMEOUT_MS, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
            if (watcher != null) {
                watcher.process(event);
            }
        }, false, new RotatingHosts(cluster, first));
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close(1000);
            return null;
        }
        return zk;
    }

    /** A ZooKeeper client of member {@code id} alone. */
    static ZooKeeper only(FaultCluster cluster, int id) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + cluster.clientPort(id), SESSION_TIMEOUT_MS * 3, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close(1000);
            throw new IllegalStateException("no session with member " + id + " within 30 s");
        }
        return zk;
    }

    /** A started Curator client starting at member {@code first}. */
    static CuratorFramework curator(FaultCluster cluster, int first) {
        CuratorFramework c = CuratorFrameworkFactory.builder()
                .connectString(connectString(cluster))
                .sessionTimeoutMs(SESSION_TIMEOUT_MS)
                .connectionTimeoutMs(SESSION_TIMEOUT_MS)
                .retryPolicy(new RetryNTimes(3, 300))
                .zookeeperFactory((connect, timeout, watcher, canBeReadOnly) ->
                        new ZooKeeper(connect, timeout, watcher, canBeReadOnly, new RotatingHosts(cluster, first)))
                .build();
        c.start();
        return c;
    }

    static void closeQuietly(ZooKeeper zk) {
        if (zk != null) {
            try {
                zk.close(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
