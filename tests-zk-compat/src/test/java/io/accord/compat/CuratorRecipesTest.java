package io.accord.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.barriers.DistributedBarrier;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.accord.compat.support.Await;

/** Curator 5.9 recipes, each with several clients (separate sessions) contending on one target. */
class CuratorRecipesTest extends TargetTestBase {

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    private CuratorFramework curator() throws InterruptedException {
        return clients.curator(target.connectString());
    }

    private List<CuratorFramework> curators(int n) throws InterruptedException {
        List<CuratorFramework> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(curator());
        }
        return list;
    }

    private static <T> void all(Collection<Future<T>> futures) throws Exception {
        for (Future<T> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void interProcessMutexIsExclusiveAcrossSessions() throws Exception {
        String path = root + "/mutex";
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        List<Future<Object>> futures = new ArrayList<>();
        for (CuratorFramework c : curators(4)) {
            InterProcessMutex mutex = new InterProcessMutex(c, path);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    assertTrue(mutex.acquire(30, TimeUnit.SECONDS));
                    try {
                        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        assertTrue(mutex.isAcquiredInThisProcess());
                        Thread.yield();
                        acquisitions.incrementAndGet();
                        holders.decrementAndGet();
                    } finally {
                        mutex.release();
                    }
                }
                return null;
            }));
        }
        all(futures);
        assertEquals(20, acquisitions.get());
        assertEquals(1, maxHolders.get());
        CuratorFramework check = curator();
        Await.until("the lock's parent, a container, reaped once every lock node is gone",
            () -> {
                try {
                    return check.checkExists().forPath(path) == null;
                } catch (Exception e) {
                    return false;
                }
            });
    }

    @Test
    void mutexWaiterGetsTheLockWhenTheHoldersSessionCloses() throws Exception {
        String path = root + "/mutex";
        CuratorFramework holder = curator();
        InterProcessMutex held = new InterProcessMutex(holder, path);
        assertTrue(held.acquire(10, TimeUnit.SECONDS));
        InterProcessMutex waiter = new InterProcessMutex(curator(), path);
        assertFalse(waiter.acquire(200, TimeUnit.MILLISECONDS));
        List<String> nodes = curator().getChildren().forPath(path);
        assertEquals(1, nodes.size());
        assertTrue(nodes.get(0).matches("_c_[0-9a-f-]{36}-lock-\\d{10}"), nodes.get(0));
        Future<Boolean> acquired = pool.submit(() -> {
            boolean got = waiter.acquire(30, TimeUnit.SECONDS);
            if (got) {
                waiter.release(); // Curator locks belong to the acquiring thread
            }
            return got;
        });
        holder.close();
        assertTrue(acquired.get(30, TimeUnit.SECONDS));
    }

    @Test
    void readWriteLockSharesReadsAndExcludesWriters() throws Exception {
        String path = root + "/rw";
        List<CuratorFramework> cs = curators(3);
        InterProcessReadWriteLock r1 = new InterProcessReadWriteLock(cs.get(0), path);
        InterProcessReadWriteLock r2 = new InterProcessReadWriteLock(cs.get(1), path);
        InterProcessReadWriteLock w = new InterProcessReadWriteLock(cs.get(2), path);
        assertTrue(r1.readLock().acquire(10, TimeUnit.SECONDS));
        assertTrue(r2.readLock().acquire(10, TimeUnit.SECONDS), "two readers at once");
        assertFalse(w.writeLock().acquire(200, TimeUnit.MILLISECONDS), "no writer while readers hold");

        // Curator locks belong to the acquiring thread: the writer acquires and releases on its own thread.
        CountDownLatch writerHolds = new CountDownLatch(1);
        CountDownLatch writerMayRelease = new CountDownLatch(1);
        Future<Boolean> writer = pool.submit(() -> {
            boolean got = w.writeLock().acquire(30, TimeUnit.SECONDS);
            if (got) {
                writerHolds.countDown();
                writerMayRelease.await(30, TimeUnit.SECONDS);
                w.writeLock().release();
            }
            return got;
        });
        assertFalse(writerHolds.await(200, TimeUnit.MILLISECONDS), "the writer waits for both readers");
        r1.readLock().release();
        assertFalse(writerHolds.await(200, TimeUnit.MILLISECONDS), "the writer waits for the second reader");
        r2.readLock().release();
        assertTrue(writerHolds.await(30, TimeUnit.SECONDS));
        assertFalse(r1.readLock().acquire(200, TimeUnit.MILLISECONDS), "no reader while a writer holds");
        writerMayRelease.countDown();
        assertTrue(writer.get(30, TimeUnit.SECONDS));
        assertTrue(r1.readLock().acquire(30, TimeUnit.SECONDS), "readers get in once the writer is gone");
        r1.readLock().release();
    }

    @Test
    void readWriteLockUnderContentionNeverMixesWritersWithAnyoneElse() throws Exception {
        String path = root + "/rw";
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Object>> futures = new ArrayList<>();
        List<CuratorFramework> cs = curators(5);
        for (int i = 0; i < cs.size(); i++) {
            InterProcessReadWriteLock lock = new InterProcessReadWriteLock(cs.get(i), path);
            boolean writer = i < 2;
            futures.add(pool.submit(() -> {
                for (int round = 0; round < 4; round++) {
                    InterProcessMutex mutex = writer ? lock.writeLock() : lock.readLock();
                    assertTrue(mutex.acquire(30, TimeUnit.SECONDS));
                    try {
                        if (writer) {
                            if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                                violations.add("writer with " + writers.get() + " writers, " + readers.get() + " readers");
                            }
                            Thread.sleep(5);
                            writers.decrementAndGet();
                        } else {
                            readers.incrementAndGet();
                            if (writers.get() != 0) {
                                violations.add("reader with a writer");
                            }
                            Thread.sleep(20);
                            readers.decrementAndGet();
                        }
                    } finally {
                        mutex.release();
                    }
                }
                return null;
            }));
        }
        all(futures);
        assertEquals(List.of(), violations);
    }

    @Test
    void leaderLatchFailsOverWhenTheLeadersSessionCloses() throws Exception {
        String path = root + "/latch";
        List<CuratorFramework> cs = curators(3);
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            LeaderLatch latch = clients.register(new LeaderLatch(cs.get(i), path, "member-" + i));
            latch.start();
            latches.add(latch);
        }
        LeaderLatch first = Await.value("a leader", Await.DEFAULT, () -> onlyLeader(latches));
        // A latch joins in the background: the first one can lead before the others' nodes exist.
        Await.until("participants see three members", () -> participants(latches.get(2)) == 3);
        assertEquals(first.getId(), latches.get(1).getLeader().getId(), "every member agrees on the leader");
        assertTrue(first.hasLeadership(), "the others joining does not move the leadership");
        cs.get(latches.indexOf(first)).close();
        List<LeaderLatch> rest = new ArrayList<>(latches);
        rest.remove(first);
        LeaderLatch second = Await.value("a new leader", Await.DEFAULT, () -> onlyLeader(rest));
        assertFalse(second == first);
        Await.until("participants see two members", () -> participants(rest.get(0)) == 2);
    }

    /** How many members the latch sees, or -1 while it cannot read them. */
    private static int participants(LeaderLatch latch) {
        try {
            return latch.getParticipants().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static LeaderLatch onlyLeader(List<LeaderLatch> latches) {
        LeaderLatch leader = null;
        for (LeaderLatch l : latches) {
            if (l.hasLeadership()) {
                assertNull(leader, "two leaders at once");
                leader = l;
            }
        }
        return leader;
    }

    @Test
    void leaderSelectorHandsLeadershipOverWhenTheLeadersSessionCloses() throws Exception {
        String path = root + "/selector";
        List<CuratorFramework> cs = curators(3);
        BlockingQueue<Integer> leaders = new LinkedBlockingQueue<>();
        for (int i = 0; i < cs.size(); i++) {
            int id = i;
            LeaderSelector selector = new LeaderSelector(cs.get(i), path, new LeaderSelectorListenerAdapter() {
                @Override
                public void takeLeadership(CuratorFramework client) throws Exception {
                    leaders.add(id);
                    Thread.sleep(Long.MAX_VALUE); // lead until the selector is closed
                }
            });
            clients.register(selector);
            selector.start();
        }
        Integer first = leaders.poll(20, TimeUnit.SECONDS);
        assertNotNull(first);
        cs.get(first).close();
        Integer second = leaders.poll(20, TimeUnit.SECONDS);
        assertNotNull(second, "a new leader after the first one's session closed");
        assertFalse(first.equals(second));
        assertNull(leaders.poll(), "exactly one new leader");
    }

    @Test
    void distributedBarrierReleasesWaitersWhenRemoved() throws Exception {
        String path = root + "/barrier";
        DistributedBarrier setter = new DistributedBarrier(curator(), path);
        setter.setBarrier();
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (CuratorFramework c : curators(2)) {
            DistributedBarrier waiter = new DistributedBarrier(c, path);
            assertFalse(waiter.waitOnBarrier(100, TimeUnit.MILLISECONDS));
            waiters.add(pool.submit(() -> waiter.waitOnBarrier(30, TimeUnit.SECONDS)));
        }
        setter.removeBarrier();
        for (Future<Boolean> w : waiters) {
            assertTrue(w.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void doubleBarrierLetsMembersInTogetherAndOutTogether() throws Exception {
        String path = root + "/double";
        int members = 3;
        AtomicInteger entered = new AtomicInteger();
        List<Future<Object>> futures = new ArrayList<>();
        for (CuratorFramework c : curators(members)) {
            DistributedDoubleBarrier barrier = new DistributedDoubleBarrier(c, path, members);
            futures.add(pool.submit(() -> {
                assertTrue(barrier.enter(30, TimeUnit.SECONDS));
                entered.incrementAndGet();
                assertTrue(barrier.leave(30, TimeUnit.SECONDS));
                assertEquals(members, entered.get(), "nobody leaves before everyone entered");
                return null;
            }));
        }
        all(futures);
    }

    @Test
    void distributedQueueDeliversEveryItemInOrderToAConsumerInAnotherSession() throws Exception {
        String path = root + "/queue";
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        QueueSerializer<String> serializer = new QueueSerializer<>() {
            @Override
            public byte[] serialize(String item) {
                return item.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        QueueConsumer<String> consumer = new QueueConsumer<>() {
            @Override
            public void consumeMessage(String message) {
                received.add(message);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        };
        DistributedQueue<String> consuming = clients.register(
            QueueBuilder.builder(curator(), consumer, serializer, path).buildQueue());
        consuming.start();
        DistributedQueue<String> producing = clients.register(
            QueueBuilder.<String>builder(curator(), null, serializer, path).buildQueue());
        producing.start();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("item-" + i);
            producing.put("item-" + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            String item = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(item, "only " + got + " arrived");
            got.add(item);
        }
        assertEquals(sent, got);
        CuratorFramework check = curator();
        Await.until("queue drained", () -> {
            try {
                return check.getChildren().forPath(path).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void sharedCountUsesVersionedWritesAndNotifiesOtherSessions() throws Exception {
        String path = root + "/count";
        SharedCount a = clients.register(new SharedCount(curator(), path, 0));
        SharedCount b = clients.register(new SharedCount(curator(), path, 0));
        BlockingQueue<Integer> seenByB = new LinkedBlockingQueue<>();
        b.addListener(new SharedCountListener() {
            @Override
            public void countHasChanged(SharedCountReader reader, int newCount) {
                seenByB.add(newCount);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        });
        a.start();
        b.start();
        var version = a.getVersionedValue();
        assertTrue(a.trySetCount(version, 5));
        assertFalse(a.trySetCount(version, 6), "a stale version must lose");
        assertEquals(Integer.valueOf(5), seenByB.poll(20, TimeUnit.SECONDS));
        Await.until("b sees 5", () -> b.getCount() == 5);
        assertTrue(b.trySetCount(b.getVersionedValue(), 7));
        Await.until("a sees 7", () -> a.getCount() == 7);
    }

    @Test
    void distributedAtomicLongCountsEveryIncrementUnderContention() throws Exception {
        String path = root + "/atomic";
        List<Future<Object>> futures = new ArrayList<>();
        for (CuratorFramework c : curators(4)) {
            DistributedAtomicLong counter = new DistributedAtomicLong(c, path, new RetryNTimes(1000, 1));
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    AtomicValue<Long> v = counter.increment();
                    assertTrue(v.succeeded());
                    assertEquals(v.preValue() + 1, v.postValue());
                }
                return null;
            }));
        }
        all(futures);
        CuratorFramework reader = curator();
        reader.getZookeeperClient().getZooKeeper().sync(path); // reads are only sequentially consistent
        AtomicValue<Long> value = new DistributedAtomicLong(reader, path, new RetryNTimes(3, 10)).get();
        assertTrue(value.succeeded());
        assertEquals(40L, value.postValue());
    }

    @Test
    void persistentEphemeralNodeIsRecreatedAfterDeletion() throws Exception {
        String path = root + "/persistent";
        CuratorFramework owner = curator();
        PersistentNode node = clients.register(new PersistentNode(owner, CreateMode.EPHEMERAL, false, path, "data".getBytes()));
        node.start();
        assertTrue(node.waitForInitialCreate(20, TimeUnit.SECONDS));
        CuratorFramework other = curator();
        other.getZookeeperClient().getZooKeeper().sync(path); // other may be on a server still applying the create
        Stat first = other.checkExists().forPath(path);
        assertEquals(owner.getZookeeperClient().getZooKeeper().getSessionId(), first.getEphemeralOwner());
        other.delete().forPath(path);
        Stat again = Await.value("node recreated", Await.DEFAULT, () -> {
            try {
                return other.checkExists().forPath(path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(again.getCzxid() > first.getCzxid());
        assertArrayEquals("data".getBytes(), other.getData().forPath(path));
    }

    @Test
    void curatorCacheMirrorsTheTreeThroughPersistentRecursiveWatches() throws Exception {
        String path = root + "/cache";
        CuratorFramework writer = curator();
        writer.create().creatingParentsIfNeeded().forPath(path + "/pre", "0".getBytes());
        CuratorFramework reader = curator();
        CuratorCache cache = clients.register(CuratorCache.build(reader, path));
        CountDownLatch initialized = new CountDownLatch(1);
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        cache.listenable().addListener(CuratorCacheListener.builder()
            .forInitialized(initialized::countDown)
            .forCreates(d -> changes.add("create " + d.getPath()))
            .forChanges((o, n) -> changes.add("change " + n.getPath() + " " + new String(n.getData())))
            .forDeletes(d -> changes.add("delete " + d.getPath()))
            .build());
        cache.start();
        assertTrue(initialized.await(20, TimeUnit.SECONDS));
        assertEquals("create " + path, changes.poll(20, TimeUnit.SECONDS));
        assertEquals("create " + path + "/pre", changes.poll(20, TimeUnit.SECONDS));

        writer.create().forPath(path + "/a", "1".getBytes());
        writer.create().forPath(path + "/a/deep", "2".getBytes());
        writer.setData().forPath(path + "/a/deep", "3".getBytes());
        writer.delete().forPath(path + "/pre");
        // Curator reads data asynchronously after each event, so which of create/change carries the
        // newest data is up to timing; the mirrored tree and the set of node events are not.
        Map<String, String> expected = Map.of(path, "", path + "/a", "1", path + "/a/deep", "3");
        Await.until("cache mirrors the tree", () -> expected.equals(contents(cache)));
        List<String> seen = new ArrayList<>();
        List<String> wanted = List.of("create " + path + "/a", "create " + path + "/a/deep", "delete " + path + "/pre");
        Await.until("listener told of " + wanted + ", so far " + seen, () -> {
            changes.drainTo(seen);
            return seen.containsAll(wanted);
        });
        writer.delete().deletingChildrenIfNeeded().forPath(path + "/a");
        Await.until("cache follows deletes", () -> Map.of(path, "").equals(contents(cache)));
    }

    private static Map<String, String> contents(CuratorCache cache) {
        Map<String, String> contents = new ConcurrentHashMap<>();
        cache.stream().forEach((ChildData d) -> contents.put(d.getPath(), d.getData() == null ? "" : new String(d.getData())));
        return contents;
    }

    @Test
    void serviceDiscoveryFindsInstancesAndForgetsThemWhenTheirSessionCloses() throws Exception {
        String base = root + "/services";
        CuratorFramework providerClient = curator();
        ServiceDiscovery<Void> provider = ServiceDiscoveryBuilder.builder(Void.class)
            .client(providerClient).basePath(base).build();
        ServiceInstance<Void> instance = ServiceInstance.<Void>builder().name("api").address("10.1.2.3").port(8080).id("one").build();
        provider.registerService(instance);
        provider.start();
        ServiceDiscovery<Void> consumer = clients.register(ServiceDiscoveryBuilder.builder(Void.class)
            .client(curator()).basePath(base).build());
        consumer.start();
        assertEquals(List.of("api"), new ArrayList<>(consumer.queryForNames()));
        Collection<ServiceInstance<Void>> found = consumer.queryForInstances("api");
        assertEquals(1, found.size());
        ServiceInstance<Void> got = found.iterator().next();
        assertEquals("one", got.getId());
        assertEquals("10.1.2.3", got.getAddress());
        assertEquals(Integer.valueOf(8080), got.getPort());
        providerClient.close();
        Await.until("instance gone with its session", Duration.ofSeconds(20), () -> {
            try {
                return consumer.queryForInstances("api").isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }
}
