package io.accord.compat.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;

import io.accord.compat.TargetConfig;

/**
 * A seeded random stream of {@link Step}s over a small tree under {@link #ROOT}, so that operations
 * collide often: every create mode, right and wrong versions, failing and succeeding multis, ACLs with
 * digest identities, watches of every kind, session close and reopen.
 */
final class Scenario {

    static final String ROOT = "/d";
    static final int SLOTS = 3;

    private static final List<String> POOL = List.of(ROOT, ROOT + "/a", ROOT + "/b", ROOT + "/c", ROOT + "/a/x",
        ROOT + "/a/y", ROOT + "/b/x", ROOT + "/a/x/q", ROOT + "/e");
    private static final List<String> NAMES = List.of("a", "b", "x", "y", "e", "s-");
    /** Created (open, persistent) on both sides before the first step, so that most ops find their nodes. */
    static final List<String> BASE = List.of(ROOT, ROOT + "/a", ROOT + "/b", ROOT + "/c", ROOT + "/a/x", ROOT + "/b/x");
    private static final CreateMode[] MODES = CreateMode.values();
    private static final String[] IDENTITIES = {null, "user1:pw1", "user2:pw2", "super:" + TargetConfig.SUPER_PASSWORD, "user1:bad"};
    private static final long TTL_MS = 3_600_000; // long enough never to expire during a run

    private final Random random;

    Scenario(long seed) {
        this.random = new Random(seed);
    }

    /** The initial identity of each slot. */
    String identity(int slot) {
        return slot == 0 ? null : IDENTITIES[slot];
    }

    Step next() {
        int slot = random.nextInt(SLOTS);
        int dice = random.nextInt(100);
        if (dice < 22) {
            return create(slot);
        } else if (dice < 30) {
            return delete(slot);
        } else if (dice < 40) {
            return setData(slot);
        } else if (dice < 44) {
            return setAcl(slot);
        } else if (dice < 51) {
            return getData(slot);
        } else if (dice < 58) {
            return exists(slot);
        } else if (dice < 64) {
            return getChildren(slot);
        } else if (dice < 67) {
            return getAcl(slot);
        } else if (dice < 77) {
            return multi(slot);
        } else if (dice < 80) {
            return multiRead(slot);
        } else if (dice < 85) {
            return addWatch(slot);
        } else if (dice < 87) {
            return removeWatches(slot);
        } else if (dice < 88) {
            return sync(slot);
        } else if (dice < 90) {
            return getEphemerals(slot);
        } else if (dice < 93) {
            return allChildren(slot);
        } else if (dice < 95) {
            return reopen(slot);
        } else if (dice < 96) {
            // a reconnect costs the client's random back-off (up to 1 s) on each side: keep them rare
            return random.nextInt(3) == 0 ? bounce(slot) : whoAmI(slot);
        } else if (dice < 98) {
            return addAuth(slot);
        }
        return whoAmI(slot);
    }

    /** A path chosen now but resolved on each side: a fixed pool entry or an earlier create's result. */
    private record Pick(int index) {
        String resolve(Side side) {
            if (index < POOL.size() || side.created.isEmpty()) {
                return POOL.get(index % POOL.size());
            }
            return side.created.get(side.created.size() - 1 - (index - POOL.size()) % Math.min(side.created.size(), 8));
        }

        @Override
        public String toString() {
            return index < POOL.size() ? POOL.get(index) : "created[-" + (index - POOL.size()) + "]";
        }
    }

    private Pick pick() {
        return new Pick(random.nextInt(POOL.size() + 6));
    }

    private int version() {
        return random.nextInt(3) == 0 ? -1 : random.nextInt(3); // -1 (any), 0..2: sometimes right, sometimes wrong
    }

    private boolean watch() {
        return random.nextInt(3) != 0;
    }

    private byte[] data() {
        int r = random.nextInt(6);
        return r == 0 ? null : r == 1 ? new byte[0] : ("v" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
    }

    private List<ACL> acl() {
        int r = random.nextInt(14);
        return switch (r) {
            case 7 -> Ids.READ_ACL_UNSAFE;
            case 8 -> Ids.CREATOR_ALL_ACL;
            case 9 -> acls(new ACL(Perms.ALL, new Id("digest", TargetConfig.digestId("user1", "pw1"))), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
            case 10 -> acls(new ACL(Perms.ALL, new Id("digest", TargetConfig.digestId("user2", "pw2"))));
            case 11 -> acls(new ACL(Perms.CREATE | Perms.DELETE | Perms.READ, Ids.ANYONE_ID_UNSAFE));
            case 12 -> acls(new ACL(Perms.ALL, new Id("ip", "127.0.0.1")));
            case 13 -> acls(new ACL(Perms.WRITE | Perms.ADMIN, Ids.ANYONE_ID_UNSAFE));
            default -> Ids.OPEN_ACL_UNSAFE;
        };
    }

    private static List<ACL> acls(ACL... entries) {
        return new ArrayList<>(Arrays.asList(entries));
    }

    private static String childPath(String parent, String name) {
        return parent + "/" + name;
    }

    private Step create(int slot) {
        Pick parent = pick();
        String name = NAMES.get(random.nextInt(NAMES.size()));
        CreateMode mode = MODES[random.nextInt(MODES.length)];
        byte[] data = data();
        List<ACL> acl = acl();
        boolean withStat = random.nextBoolean();
        return new Step(slot, "create " + parent + "/" + name + " " + mode + " acl=" + Outcomes.acl(acl) + (withStat ? " +stat" : ""),
            (side, zk) -> {
                String path = childPath(parent.resolve(side), name);
                String result;
                if (mode.isTTL()) {
                    Stat stat = new Stat();
                    result = zk.create(path, data, acl, mode, stat, TTL_MS) + " " + side.norm.stat(stat);
                } else if (withStat) {
                    Stat stat = new Stat();
                    result = zk.create(path, data, acl, mode, stat) + " " + side.norm.stat(stat);
                } else {
                    result = zk.create(path, data, acl, mode);
                }
                String created = result.split(" ")[0];
                side.created.add(created);
                if (mode.isContainer()) {
                    side.containers.add(created);
                }
                return result;
            });
    }

    private Step delete(int slot) {
        Pick path = pick();
        int version = version();
        return new Step(slot, "delete " + path + " v" + version, (side, zk) -> {
            zk.delete(path.resolve(side), version);
            return "ok";
        });
    }

    private Step setData(int slot) {
        Pick path = pick();
        int version = version();
        byte[] data = data();
        return new Step(slot, "setData " + path + " v" + version, (side, zk) -> side.norm.stat(zk.setData(path.resolve(side), data, version)));
    }

    private Step setAcl(int slot) {
        Pick path = pick();
        int version = random.nextInt(3) - 1;
        List<ACL> acl = acl();
        return new Step(slot, "setACL " + path + " " + Outcomes.acl(acl) + " v" + version,
            (side, zk) -> side.norm.stat(zk.setACL(path.resolve(side), acl, version)));
    }

    private Step getData(int slot) {
        Pick path = pick();
        boolean watch = watch();
        return new Step(slot, "getData " + path + (watch ? " watch" : ""), (side, zk) -> {
            Stat stat = new Stat();
            byte[] data = zk.getData(path.resolve(side), watch, stat);
            return Outcomes.data(data) + " " + side.norm.stat(stat);
        });
    }

    private Step exists(int slot) {
        Pick path = pick();
        boolean watch = watch();
        return new Step(slot, "exists " + path + (watch ? " watch" : ""),
            (side, zk) -> side.norm.stat(zk.exists(path.resolve(side), watch)));
    }

    private Step getChildren(int slot) {
        Pick path = pick();
        boolean watch = watch();
        boolean withStat = random.nextBoolean();
        return new Step(slot, "getChildren" + (withStat ? "2 " : " ") + path + (watch ? " watch" : ""), (side, zk) -> {
            if (withStat) {
                Stat stat = new Stat();
                List<String> children = zk.getChildren(path.resolve(side), watch, stat);
                return Outcomes.sorted(children) + " " + side.norm.stat(stat);
            }
            return Outcomes.sorted(zk.getChildren(path.resolve(side), watch));
        });
    }

    private Step getAcl(int slot) {
        Pick path = pick();
        return new Step(slot, "getACL " + path, (side, zk) -> {
            Stat stat = new Stat();
            List<ACL> acl = zk.getACL(path.resolve(side), stat);
            return Outcomes.acl(acl) + " " + side.norm.stat(stat);
        });
    }

    private Step multi(int slot) {
        int n = 1 + random.nextInt(3);
        List<MultiOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(multiOp());
        }
        return new Step(slot, "multi " + ops, (side, zk) -> {
            List<Op> resolved = new ArrayList<>();
            for (MultiOp op : ops) {
                resolved.add(op.resolve(side));
            }
            List<OpResult> results = zk.multi(resolved);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof OpResult.CreateResult c) {
                    side.created.add(c.getPath());
                    if (ops.get(i).mode == CreateMode.CONTAINER) {
                        side.containers.add(c.getPath());
                    }
                }
            }
            return Outcomes.results(results, side.norm);
        });
    }

    /** A write inside a multi; paths are resolved per side. */
    private record MultiOp(String kind, Pick path, String name, CreateMode mode, int version, byte[] data, List<ACL> acl) {
        Op resolve(Side side) {
            String p = path.resolve(side);
            return switch (kind) {
                case "create" -> mode.isTTL()
                    ? Op.create(childPath(p, name), data, acl, mode, TTL_MS)
                    : Op.create(childPath(p, name), data, acl, mode);
                case "delete" -> Op.delete(p, version);
                case "setData" -> Op.setData(p, data, version);
                default -> Op.check(p, version);
            };
        }

        @Override
        public String toString() {
            return kind + " " + path + (kind.equals("create") ? "/" + name + " " + mode : " v" + version);
        }
    }

    private MultiOp multiOp() {
        String kind = List.of("create", "create", "delete", "setData", "check").get(random.nextInt(5));
        return new MultiOp(kind, pick(), NAMES.get(random.nextInt(NAMES.size())), MODES[random.nextInt(MODES.length)],
            version(), data(), random.nextInt(4) == 0 ? acl() : Ids.OPEN_ACL_UNSAFE);
    }

    private Step multiRead(int slot) {
        int n = 1 + random.nextInt(3);
        List<Pick> paths = new ArrayList<>();
        List<Boolean> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            paths.add(pick());
            data.add(random.nextBoolean());
        }
        return new Step(slot, "multiRead " + paths + " " + data, (side, zk) -> {
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String p = paths.get(i).resolve(side);
                ops.add(data.get(i) ? Op.getData(p) : Op.getChildren(p));
            }
            return Outcomes.results(zk.multi(ops), side.norm);
        });
    }

    private Step addWatch(int slot) {
        Pick path = random.nextBoolean() ? new Pick(0) : pick(); // often the root: sees everything it may read
        AddWatchMode mode = random.nextBoolean() ? AddWatchMode.PERSISTENT : AddWatchMode.PERSISTENT_RECURSIVE;
        return new Step(slot, "addWatch " + path + " " + mode, (side, zk) -> {
            zk.addWatch(path.resolve(side), mode);
            return "ok";
        });
    }

    private Step removeWatches(int slot) {
        Pick path = pick();
        WatcherType type = WatcherType.values()[random.nextInt(WatcherType.values().length)];
        return new Step(slot, "removeAllWatches " + path + " " + type, (side, zk) -> {
            zk.removeAllWatches(path.resolve(side), type, false);
            return "ok";
        });
    }

    private Step sync(int slot) {
        Pick path = pick();
        return new Step(slot, "sync " + path, (side, zk) -> {
            CompletableFuture<String> result = new CompletableFuture<>();
            zk.sync(path.resolve(side), (rc, p, ctx) -> result.complete(rc + " " + p), null);
            return result.get(20, TimeUnit.SECONDS);
        });
    }

    private Step getEphemerals(int slot) {
        String prefix = List.of("/", ROOT, ROOT + "/a", ROOT + "/e").get(random.nextInt(4));
        return new Step(slot, "getEphemerals " + prefix, (side, zk) -> Outcomes.sorted(zk.getEphemerals(prefix)));
    }

    private Step allChildren(int slot) {
        Pick path = pick();
        return new Step(slot, "getAllChildrenNumber " + path, (side, zk) -> Integer.toString(zk.getAllChildrenNumber(path.resolve(side))));
    }

    private Step reopen(int slot) {
        String identity = IDENTITIES[random.nextInt(IDENTITIES.length)];
        return new Step(slot, "close session, reopen as " + identity, true, (side, zk) -> {
            side.reopen(slot, identity);
            return "ok";
        });
    }

    /**
     * Sets watches on a session, cuts it off, lets another session change the watched nodes, then lets
     * the first reconnect: it re-sends its watches (setWatches / setWatches2) and gets catch-up events
     * (zxid -1) for what it missed.
     */
    private Step bounce(int slot) {
        int writer = (slot + 1) % SLOTS;
        Pick data = pick();
        Pick parent = pick();
        String name = NAMES.get(random.nextInt(NAMES.size() - 1)); // not the sequential one
        Pick children = pick();
        String childName = NAMES.get(random.nextInt(NAMES.size()));
        boolean deleteData = random.nextInt(4) == 0;
        Step extra = random.nextBoolean() ? multi(writer) : delete(writer);
        String description = "bounce: watch data " + data + ", exists " + parent + "/" + name + ", children " + children
            + "; cut off while s" + writer + " sets " + data + (deleteData ? " and deletes it" : "") + ", creates "
            + parent + "/" + name + " and " + children + "/" + childName + ", then " + extra + "; reconnect";
        return new Step(slot, description, true, (side, zk) -> {
            List<String> results = new ArrayList<>();
            results.add(watchOutcome(() -> zk.getData(data.resolve(side), true, null)));
            String created = childPath(parent.resolve(side), name);
            results.add(watchOutcome(() -> zk.exists(created, true)));
            results.add(watchOutcome(() -> zk.getChildren(children.resolve(side), true)));
            side.cut(slot);
            ZooKeeper w = side.session(writer);
            results.add(watchOutcome(() -> w.setData(data.resolve(side), "bounced".getBytes(StandardCharsets.UTF_8), -1)));
            if (deleteData) {
                results.add(watchOutcome(() -> {
                    w.delete(data.resolve(side), -1);
                    return null;
                }));
            }
            results.add(watchOutcome(() -> w.create(created, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
            results.add(watchOutcome(() -> w.create(childPath(children.resolve(side), childName), null, Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT)));
            results.add(Lockstep.execute(side, extra));
            side.settleContainers(); // reaping must not race with the reconnect
            side.resume(slot);
            return results.toString();
        });
    }

    @FunctionalInterface
    private interface Call {
        Object call() throws Exception;
    }

    /** "ok" or the error code; values are compared elsewhere, here only whether the call worked. */
    private static String watchOutcome(Call call) throws Exception {
        try {
            call.call();
            return "ok";
        } catch (org.apache.zookeeper.KeeperException e) {
            return "err " + e.code();
        }
    }

    private Step addAuth(int slot) {
        String identity = IDENTITIES[1 + random.nextInt(IDENTITIES.length - 1)];
        return new Step(slot, "addAuth digest " + identity, (side, zk) -> {
            zk.addAuthInfo("digest", identity.getBytes(StandardCharsets.UTF_8));
            return "ok";
        });
    }

    private Step whoAmI(int slot) {
        return new Step(slot, "whoAmI", (side, zk) -> Outcomes.whoAmI(zk.whoAmI()));
    }
}
