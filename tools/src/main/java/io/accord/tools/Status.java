package io.accord.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code accord status <connect string>}: one row per server of a ZooKeeper connect string (Accord or ZooKeeper),
 * from the four-letter words {@code srvr} and, where the whitelist allows it, {@code mntr}.
 */
final class Status {
    static final String[] HEADER = {"server", "mode", "zxid", "connections", "outstanding", "nodes",
        "latency min/avg/max", "watches", "ephemerals"};

    /** What one server answered; {@code error} set when it could not be asked or did not answer {@code srvr}. */
    record Row(String server, String error, Map<String, String> srvr, Map<String, String> mntr, boolean mntrRefused) {
        static Row unreachable(String server, String why) {
            return new Row(server, why, Map.of(), Map.of(), false);
        }

        boolean reachable() {
            return error == null;
        }
    }

    private Status() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("accord status: expected one argument, a connect string such as "
                    + "127.0.0.1:2181,127.0.0.1:2182");
            return 2;
        }
        List<String> servers;
        try {
            servers = servers(args[0]);
        } catch (IllegalArgumentException e) {
            err.println("accord status: " + e.getMessage());
            return 2;
        }
        List<Row> rows = new ArrayList<>();
        for (String server : servers) {
            rows.add(query(server));
        }
        out.print(format(rows));
        return rows.stream().allMatch(Row::reachable) ? 0 : 1;
    }

    /** The {@code host:port} entries of a connect string ({@code host[:port][,host[:port]]...[/chroot]}). */
    static List<String> servers(String connectString) {
        String s = connectString.trim();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        List<String> servers = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String host;
            String port;
            if (p.startsWith("[")) {
                int close = p.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'" + p + "': missing ']' after an IPv6 address");
                }
                host = p.substring(0, close + 1);
                port = close + 1 < p.length() && p.charAt(close + 1) == ':' ? p.substring(close + 2) : "2181";
            } else {
                int colon = p.lastIndexOf(':');
                host = colon < 0 ? p : p.substring(0, colon);
                port = colon < 0 ? "2181" : p.substring(colon + 1);
            }
            try {
                int n = Integer.parseInt(port);
                if (n < 1 || n > 65535 || host.isEmpty()) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' (expected: host:port, port 1..65535)");
            }
            servers.add(host + ":" + port);
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("the connect string '" + connectString + "' names no server");
        }
        return servers;
    }

    static Row query(String server) {
        String srvr;
        try {
            srvr = fourLetterWord(server, "srvr");
        } catch (IOException e) {
            return Row.unreachable(server, "unreachable (" + e.getMessage() + ")");
        }
        if (!srvr.startsWith("Zookeeper version:")) {
            String first = srvr.strip().lines().findFirst().orElse("no answer");
            return Row.unreachable(server, first.isEmpty() ? "no answer to srvr" : first);
        }
        String mntr;
        try {
            mntr = fourLetterWord(server, "mntr");
        } catch (IOException e) {
            mntr = "";
        }
        boolean refused = mntr.contains("is not executed because it is not in the whitelist");
        return new Row(server, null, parseSrvr(srvr), refused ? Map.of() : parseMntr(mntr), refused);
    }

    /** {@code Key: value} lines of {@code srvr}. */
    static Map<String, String> parseSrvr(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                m.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        }
        return m;
    }

    /** Tab-separated {@code key value} lines of {@code mntr}. */
    static Map<String, String> parseMntr(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                m.put(line.substring(0, tab).trim(), line.substring(tab + 1).trim());
            }
        }
        return m;
    }

    /** The table: a header, one row per server, then a note per server that refused {@code mntr}. */
    static String format(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            if (!r.reachable()) {
                String[] c = new String[HEADER.length];
                c[0] = r.server();
                c[1] = r.error();
                cells.add(c);
                continue;
            }
            Map<String, String> s = r.srvr();
            cells.add(new String[] {r.server(), s.getOrDefault("Mode", "?"), s.getOrDefault("Zxid", "?"),
                s.getOrDefault("Connections", "?"), s.getOrDefault("Outstanding", "?"),
                s.getOrDefault("Node count", "?"), s.getOrDefault("Latency min/avg/max", "?"),
                r.mntr().getOrDefault("zk_watch_count", "-"), r.mntr().getOrDefault("zk_ephemerals_count", "-")});
        }
        int[] width = new int[HEADER.length];
        for (String[] c : cells) {
            if (c[2] == null) {
                continue; // an unreachable row's message may run past the columns
            }
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        width[0] = Math.max(width[0], cells.stream().mapToInt(c -> c[0].length()).max().orElse(0));
        StringBuilder b = new StringBuilder();
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                if (c[i] == null) {
                    break;
                }
                if (i > 0) {
                    line.append("  ");
                }
                boolean last = i == c.length - 1 || c[i + 1] == null;
                line.append(last ? c[i] : pad(c[i], width[i]));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        for (Row r : rows) {
            if (r.reachable() && r.mntrRefused()) {
                b.append("note: ").append(r.server()).append(" does not allow mntr (add it to ")
                        .append("4lw.commands.whitelist); watches and ephemerals not shown\n");
            }
        }
        long down = rows.stream().filter(r -> !r.reachable()).count();
        b.append(rows.size() - down).append(" of ").append(rows.size()).append(" servers answered\n");
        return b.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String fourLetterWord(String server, String word) throws IOException {
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return FourLetterWords.ask(host, Integer.parseInt(server.substring(colon + 1)), word);
    }
}
