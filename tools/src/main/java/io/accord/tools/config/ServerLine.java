package io.accord.tools.config;

/**
 * Parses {@code server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]}, the form
 * ZooKeeper 3.9 accepts (one address; {@code multiAddress} lists are not supported).
 */
final class ServerLine {
    private ServerLine() {
    }

    static ServerEntry parse(String key, String value) {
        int id;
        try {
            id = Integer.parseInt(key.substring("server.".length()));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": the part after 'server.' must be the server id, a whole number");
        }
        if (id < 1 || id > 254) {
            throw new ConfigException(key + ": server id " + id + " (expected: 1..254)");
        }
        String quorum = value;
        String client = null;
        int semi = value.indexOf(';');
        if (semi >= 0) {
            quorum = value.substring(0, semi).trim();
            client = value.substring(semi + 1).trim();
        }
        if (quorum.contains("|")) {
            throw new ConfigException(key + ": several addresses ('|', multiAddress) are not supported: " + value);
        }
        String[] parts = splitHostPorts(key, quorum);
        if (parts.length < 3 || parts.length > 4) {
            throw new ConfigException(key + ": '" + value
                    + "' (expected: host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort])");
        }
        String host = parts[0];
        int quorumPort = portOf(key, parts[1]);
        int electionPort = portOf(key, parts[2]);
        if (quorumPort == electionPort) {
            throw new ConfigException(key + ": quorum and election ports must differ (both " + quorumPort + ")");
        }
        boolean observer = false;
        if (parts.length == 4) {
            observer = switch (parts[3]) {
                case "participant" -> false;
                case "observer" -> true;
                default -> throw new ConfigException(key + ": role '" + parts[3]
                        + "' (expected: participant or observer)");
            };
        }
        String clientHost = null;
        int clientPort = -1;
        if (client != null && !client.isEmpty()) {
            int colon = client.lastIndexOf(':');
            if (colon >= 0) {
                clientHost = unbracket(client.substring(0, colon));
                clientPort = portOf(key, client.substring(colon + 1));
            } else {
                clientPort = portOf(key, client);
            }
        }
        return new ServerEntry(id, host, quorumPort, electionPort, observer, clientHost, clientPort);
    }

    /** Splits on ':' but keeps a bracketed IPv6 host ({@code [::1]:2888:3888}) together. */
    private static String[] splitHostPorts(String key, String s) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new ConfigException(key + ": bad IPv6 address in '" + s + "'");
            }
            String[] rest = s.substring(close + 2).split(":", -1);
            String[] all = new String[rest.length + 1];
            all[0] = s.substring(1, close);
            System.arraycopy(rest, 0, all, 1, rest.length);
            return all;
        }
        return s.split(":", -1);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int portOf(String key, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            ZooCfg.port(key, port);
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": port '" + text + "' (expected: a whole number 0..65535)");
        }
    }
}
