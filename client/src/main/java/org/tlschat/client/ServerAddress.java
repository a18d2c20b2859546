package org.tlschat.client;

import java.util.ArrayList;
import java.util.List;

/** One server a client may dial: {@code HOST:PORT}, {@code HOST} (port 7443) or {@code [v6]:PORT}. */
public record ServerAddress(String host, int port) {
    /** The port a client dials when the address names none (PROTOCOL.md §1). */
    public static final int DEFAULT_PORT = 7443;

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a server address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
    }

    /**
     * Parses one address; IllegalArgumentException with a message for a person, e.g.
     * {@code "'chat:x' has no valid port (expected HOST:PORT)"}.
     */
    public static ServerAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty server address (expected HOST:PORT)");
        }
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + t + "' has an unclosed '[' (expected [IPV6]:PORT)");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + t + "' is not [IPV6]:PORT");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0 && t.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + t + "': write an IPv6 address as [ADDR]:PORT");
            }
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + t + "' has no host (expected HOST:PORT)");
        }
        if (port == null) {
            return new ServerAddress(host, DEFAULT_PORT);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' has no valid port (expected HOST:PORT)");
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("'" + t + "': port " + number + " is out of range 1-65535");
        }
        return new ServerAddress(host, number);
    }

    /** Parses {@code HOST:PORT[,HOST:PORT...]}; at least one address. */
    public static List<ServerAddress> parseList(String text) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",", -1)) {
            if (!part.isBlank()) {
                addresses.add(parse(part));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no server address given (expected HOST:PORT[,HOST:PORT...])");
        }
        return List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
