package io.accord.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One member of an Accord cluster as every member's configuration lists it: its node id (ZooKeeper's
 * {@code myid}, 1..254) and where its Aeron endpoints live. The five UDP ports are derived from one base port:
 *
 * <pre>
 *  base + 0  ingress          every member (the submitters of all nodes connect here)
 *  base + 1  consensus        every member
 *  base + 2  log              followers only
 *  base + 3  catch-up         only while catching up
 *  base + 4  archive control  every member
 * </pre>
 *
 * Keep base + 4 below the OS ephemeral range (Linux: 32768 by default), or an ephemeral port can take a fixed one
 * away from a later start (AERON.md section 9).
 *
 * @param id       node id 1..254 (also the Aeron cluster member id)
 * @param host     host name or address the other members reach this one at
 * @param basePort the first of the five ports
 */
public record Member(int id, String host, int basePort) {
    public static final int PORTS_PER_MEMBER = 5;

    public Member {
        if (id < 1 || id > 254) {
            throw new IllegalArgumentException("member id: " + id + " (expected: 1..254)");
        }
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.indexOf(',') >= 0 || host.indexOf('|') >= 0 || host.indexOf('=') >= 0) {
            throw new IllegalArgumentException("member " + id + " host: '" + host
                    + "' (expected: a host name or address)");
        }
        if (basePort < 1 || basePort + PORTS_PER_MEMBER - 1 > 65535) {
            throw new IllegalArgumentException("member " + id + " base port: " + basePort + " (expected: 1.."
                    + (65535 - PORTS_PER_MEMBER + 1) + ")");
        }
    }

    public String ingressEndpoint() {
        return endpoint(0);
    }

    public String consensusEndpoint() {
        return endpoint(1);
    }

    public String logEndpoint() {
        return endpoint(2);
    }

    public String catchupEndpoint() {
        return endpoint(3);
    }

    public String archiveEndpoint() {
        return endpoint(4);
    }

    private String endpoint(int offset) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + (basePort + offset);
    }

    /**
     * Parses {@code "1=host:port,2=host:port,..."} (base ports).
     *
     * @throws IllegalArgumentException naming the malformed element
     */
    public static List<Member> parseList(String members) {
        Objects.requireNonNull(members, "members");
        List<Member> out = new ArrayList<>();
        for (String part : members.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            int colon = p.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == p.length() - 1) {
                throw new IllegalArgumentException("member: '" + p + "' (expected: id=host:basePort)");
            }
            try {
                out.add(new Member(Integer.parseInt(p.substring(0, eq).trim()), p.substring(eq + 1, colon),
                        Integer.parseInt(p.substring(colon + 1).trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("member: '" + p + "' (expected: id=host:basePort)", e);
            }
        }
        return out;
    }

    /** Aeron 1.51's cluster members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    static String clusterMembersString(List<Member> members) {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(m.id()).append(',').append(m.ingressEndpoint()).append(',').append(m.consensusEndpoint())
                    .append(',').append(m.logEndpoint()).append(',').append(m.catchupEndpoint()).append(',')
                    .append(m.archiveEndpoint());
        }
        return sb.toString();
    }

    /** The ingress endpoints for an {@code AeronCluster} client: {@code id=host:port,...}. */
    static String ingressEndpoints(List<Member> members) {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(m.id()).append('=').append(m.ingressEndpoint());
        }
        return sb.toString();
    }

    /**
     * True when every member's host is a loopback address, i.e. they all run on this one machine and share its
     * cores and its loopback (a name that does not resolve counts as not loopback).
     */
    public static boolean allLoopback(List<Member> members) {
        for (Member m : members) {
            try {
                if (!InetAddress.getByName(m.host()).isLoopbackAddress()) {
                    return false;
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }
}
