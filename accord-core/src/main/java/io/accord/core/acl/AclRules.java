package io.accord.core.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * ZooKeeper's ACL logic (PROTOCOL.md 7.2, 7.3): {@code fixupACL} for create/setACL, permission checks for every
 * op, and {@code getACL}'s digest redaction. Digest ids are compared, never computed: the front end hashes the
 * password. Pure functions, thread-safe.
 */
public final class AclRules {
    private AclRules() {
    }

    /**
     * ZooKeeper's {@code fixupACL}: de-duplicates, rejects an empty list, unknown schemes and malformed ids, and
     * replaces each {@code auth} entry by the caller's authenticated (non-ip, non-super) ids.
     *
     * @return the list to store, or null for INVALIDACL
     */
    public static List<Acl> fixup(List<Acl> acl, List<Id> authIds) {
        if (acl == null || acl.isEmpty()) {
            return null;
        }
        List<Acl> unique = new ArrayList<>(acl.size());
        for (Acl a : acl) {
            if (a == null) {
                return null;
            }
            if (!unique.contains(a)) {
                unique.add(a);
            }
        }
        List<Acl> out = new ArrayList<>(unique.size());
        for (Acl a : unique) {
            Id id = a.id();
            String scheme = id.scheme();
            if (scheme.equals("world") && id.id().equals("anyone")) {
                out.add(a);
            } else if (scheme.equals("auth")) {
                boolean any = false;
                for (Id cid : authIds == null ? List.<Id>of() : authIds) {
                    if (cid != null && isAuthenticatedScheme(cid.scheme())) {
                        out.add(new Acl(a.perms(), cid));
                        any = true;
                    }
                }
                if (!any) {
                    return null;
                }
            } else if (isValidId(scheme, id.id())) {
                out.add(a);
            } else {
                return null;
            }
        }
        return out;
    }

    /** Schemes whose ids count as "authenticated" for the {@code auth} scheme (not ip, not super). */
    static boolean isAuthenticatedScheme(String scheme) {
        return scheme.equals("digest") || scheme.equals("x509") || scheme.equals("sasl");
    }

    /** Whether an explicit ACL id is well formed for its scheme. Unknown schemes are not. */
    static boolean isValidId(String scheme, String id) {
        switch (scheme) {
            case "digest":
                return isValidDigest(id);
            case "ip":
                return IpAddresses.isValidAclExpression(id);
            case "x509":
            case "sasl":
                return !id.isEmpty();
            default:
                return false;
        }
    }

    /** {@code id.split(":").length == 2} in ZooKeeper: exactly one ':' with something after it. */
    private static boolean isValidDigest(String id) {
        int colon = id.indexOf(':');
        return colon >= 0 && colon == id.lastIndexOf(':') && colon < id.length() - 1;
    }

    /**
     * ZooKeeper's {@code checkACL}: true when {@code skipAcl}, when the list is empty, when the caller holds
     * {@code super}, or when an entry granting any bit of {@code perm} matches one of the caller's ids.
     */
    public static boolean permits(List<Acl> acl, List<Id> authIds, int perm, boolean skipAcl) {
        if (skipAcl || acl == null || acl.isEmpty()) {
            return true;
        }
        if (authIds != null) {
            for (Id id : authIds) {
                if (id != null && id.scheme().equals("super")) {
                    return true;
                }
            }
        }
        for (Acl a : acl) {
            if ((a.perms() & perm) == 0) {
                continue;
            }
            Id id = a.id();
            if (id.scheme().equals("world") && id.id().equals("anyone")) {
                return true;
            }
            if (authIds == null) {
                continue;
            }
            for (Id caller : authIds) {
                if (caller != null && caller.scheme().equals(id.scheme()) && matches(id.scheme(), caller.id(), id.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(String scheme, String callerId, String aclId) {
        switch (scheme) {
            case "ip":
                return IpAddresses.matches(callerId, aclId);
            case "digest":
            case "x509":
            case "sasl":
                return callerId.equals(aclId);
            default:
                return false;
        }
    }

    /** getACL without ADMIN: every digest id becomes {@code user:x} (ZooKeeper 3.9). */
    public static List<Acl> redactDigests(List<Acl> acl) {
        List<Acl> out = new ArrayList<>(acl.size());
        for (Acl a : acl) {
            Id id = a.id();
            if (id.scheme().equals("digest")) {
                int colon = id.id().indexOf(':');
                String user = colon < 0 ? id.id() : id.id().substring(0, colon) + ":x";
                out.add(new Acl(a.perms(), new Id("digest", user)));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
