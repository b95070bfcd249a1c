package io.accord.compat.diff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;

/** Formats results so that two conforming targets produce identical strings. */
final class Outcomes {

    private Outcomes() {
    }

    static String data(byte[] data) {
        return data == null ? "null" : "'" + new String(data, StandardCharsets.UTF_8) + "'";
    }

    static String acl(List<ACL> acl) {
        List<String> entries = new ArrayList<>();
        for (ACL a : acl) {
            entries.add(a.getId().getScheme() + ":" + a.getId().getId() + ":" + a.getPerms());
        }
        return entries.toString(); // server order is part of the answer (de-duplicated in request order)
    }

    static String sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy.toString();
    }

    static String whoAmI(List<ClientInfo> infos) {
        List<String> ids = new ArrayList<>();
        for (ClientInfo info : infos) {
            ids.add(info.getAuthScheme() + "/" + info.getUser());
        }
        Collections.sort(ids);
        return ids.toString();
    }

    static String error(KeeperException e, Normalizer norm) {
        String s = "err " + e.code();
        if (e.getResults() != null) {
            s += " " + results(e.getResults(), norm);
        }
        return s;
    }

    static String results(List<OpResult> results, Normalizer norm) {
        List<String> out = new ArrayList<>();
        for (OpResult r : results) {
            out.add(result(r, norm));
        }
        return out.toString();
    }

    private static String result(OpResult r, Normalizer norm) {
        if (r instanceof OpResult.CreateResult c) {
            return "create " + c.getPath() + (c.getStat() == null ? "" : " " + norm.stat(c.getStat()));
        } else if (r instanceof OpResult.SetDataResult s) {
            return "setData " + norm.stat(s.getStat());
        } else if (r instanceof OpResult.DeleteResult) {
            return "delete";
        } else if (r instanceof OpResult.CheckResult) {
            return "check";
        } else if (r instanceof OpResult.GetDataResult g) {
            return "getData " + data(g.getData()) + " " + norm.stat(g.getStat());
        } else if (r instanceof OpResult.GetChildrenResult g) {
            return "getChildren " + sorted(g.getChildren());
        } else if (r instanceof OpResult.ErrorResult e) {
            return "error " + KeeperException.Code.get(e.getErr());
        }
        return "unknown " + r.getClass().getSimpleName() + " type " + r.getType();
    }
}
