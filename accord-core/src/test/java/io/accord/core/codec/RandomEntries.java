package io.accord.core.codec;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random log entries covering every op and every null/empty variant the records allow. */
final class RandomEntries {
    private final Random rnd;

    RandomEntries(long seed) {
        rnd = new Random(seed);
    }

    /**
     * An entry of up to five requests. As in a member's batch, a request often shares the entry's origin and the
     * previous request's session, ids (the same list or an equal copy) or nearby request id; or it does not.
     */
    LogEntry entry() {
        int origin = rnd.nextInt();
        int n = rnd.nextInt(6);
        List<Request> requests = rnd.nextInt(20) == 0 ? null : new ArrayList<>();
        if (requests != null) {
            Request previous = null;
            for (int i = 0; i < n; i++) {
                boolean near = previous != null && rnd.nextBoolean();
                long id = near ? previous.requestId() + rnd.nextInt(5) - 2 : rnd.nextLong();
                long session = near && rnd.nextBoolean() ? previous.sessionId() : rnd.nextLong();
                List<Id> ids = !near ? ids() : rnd.nextBoolean() ? previous.authIds()
                        : previous.authIds() == null ? null : new ArrayList<>(previous.authIds());
                Request r = new Request(rnd.nextBoolean() ? origin : rnd.nextInt(255), id, session, ids, op(0));
                requests.add(r);
                previous = r;
            }
        }
        return new LogEntry(origin, rnd.nextLong(), requests);
    }

    Op op(int depth) {
        int type = rnd.nextInt(depth < 3 ? 14 : 13);
        switch (type) {
            case 0: return new Op.Create(pick(1, 15, 19, 21), str(), bytes(), acls(), rnd.nextInt(7), rnd.nextLong());
            case 1: return new Op.Delete(str(), rnd.nextInt());
            case 2: return new Op.SetData(str(), bytes(), rnd.nextInt());
            case 3: return new Op.SetAcl(str(), acls(), rnd.nextInt());
            case 4: return new Op.Check(str(), rnd.nextInt());
            case 5: return new Op.DeleteContainer(str());
            case 6: return new Op.Sync(str());
            case 7: return new Op.CreateSession(rnd.nextInt(), bytes());
            case 8: return new Op.ReattachSession(rnd.nextInt(), bytes());
            case 9: return new Op.CloseSession();
            case 10: return new Op.Touch(longs());
            case 11: return new Op.Tick();
            case 12: return new Op.ResetDeadlines();
            default: {
                if (rnd.nextInt(10) == 0) {
                    return new Op.Multi(null);
                }
                int n = rnd.nextInt(5);
                List<Op> ops = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ops.add(op(depth + 1));
                }
                return new Op.Multi(ops);
            }
        }
    }

    private int pick(int... v) {
        return v[rnd.nextInt(v.length)];
    }

    String str() {
        switch (rnd.nextInt(8)) {
            case 0: return null;
            case 1: return "";
            case 2: return "/zoo/ñandú/\u6f22\u5b57/\ud83d\ude00" + rnd.nextInt(100);
            default: {
                StringBuilder sb = new StringBuilder();
                int depth = 1 + rnd.nextInt(4);
                for (int i = 0; i < depth; i++) {
                    sb.append('/').append("n").append(rnd.nextInt(1000));
                }
                return sb.toString();
            }
        }
    }

    byte[] bytes() {
        int k = rnd.nextInt(6);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return new byte[0];
        }
        byte[] b = new byte[rnd.nextInt(k == 5 ? 2000 : 16)];
        rnd.nextBytes(b);
        return b;
    }

    long[] longs() {
        int k = rnd.nextInt(4);
        if (k == 0) {
            return null;
        }
        long[] v = new long[k == 1 ? 0 : rnd.nextInt(20)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextLong();
        }
        return v;
    }

    List<Id> ids() {
        int k = rnd.nextInt(5);
        if (k == 0) {
            return null;
        }
        List<Id> ids = new ArrayList<>();
        for (int i = 1; i < k; i++) {
            ids.add(rnd.nextBoolean() ? Id.ANYONE : new Id("digest", "user" + rnd.nextInt(9) + ":hash=" + rnd.nextInt()));
        }
        return ids;
    }

    List<Acl> acls() {
        int k = rnd.nextInt(5);
        if (k == 0) {
            return null;
        }
        List<Acl> acls = new ArrayList<>();
        for (int i = 1; i < k; i++) {
            acls.add(new Acl(rnd.nextInt(32), rnd.nextBoolean() ? Id.ANYONE : new Id("ip", "10.0.0." + rnd.nextInt(255))));
        }
        return acls;
    }
}
