package io.accord.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accord.core.acl.Id;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class AuthIdSetTest {

    /** What a real ZooKeeper 3.9 connection lists after the same addAuthInfo calls (ServerCnxn.authInfo). */
    private static List<Id> zooKeeperOrder(List<Id> added) {
        Set<org.apache.zookeeper.data.Id> real = Collections.newSetFromMap(new ConcurrentHashMap<>());
        for (Id id : added) {
            real.add(new org.apache.zookeeper.data.Id(id.scheme(), id.id()));
        }
        List<Id> out = new ArrayList<>();
        for (org.apache.zookeeper.data.Id id : real) {
            out.add(new Id(id.getScheme(), id.getId()));
        }
        return out;
    }

    @Test
    void listsIdsInZooKeepersOrderForTheUsualConnection() {
        List<Id> added = List.of(new Id("ip", "127.0.0.1"), new Id("digest", "user1:JBEpX3mXzX3lw5cWIgEBnawd5Ig="),
                new Id("digest", "user2:bpD4uPzrrsGNcJsBFLRErJIlBog="), new Id("digest", "super:x"), Id.SUPER);
        AuthIdSet set = new AuthIdSet();
        for (Id id : added) {
            set.add(List.of(id));
        }
        assertEquals(zooKeeperOrder(added), set.ids());
    }

    @Test
    void matchesZooKeeperForRandomIdsIncludingDuplicatesAndResizes() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Id> added = new ArrayList<>();
            AuthIdSet set = new AuthIdSet();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                Id id = new Id(random.nextBoolean() ? "digest" : "ip", "u" + random.nextInt(30) + ":" + i % 7);
                added.add(id);
                set.add(List.of(id));
                assertEquals(zooKeeperOrder(added), set.ids(), "round " + round + " after " + added);
            }
        }
    }
}
