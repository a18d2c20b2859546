package org.tlschat.protocol;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An address as people type it: {@code HOST:PORT}, {@code HOST} (the default port) or
 * {@code [v6]:PORT}. Errors say what is wrong with the text. Port 0 (any free port) is accepted
 * for listeners.
 */
public record HostPort(String host, int port) {
    /** The default client port of PROTOCOL.md §1. */
    public static final int DEFAULT_PORT = 7443;

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a server address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /**
     * Parses one address; IllegalArgumentException with a message for a person, e.g.
     * {@code "'chat:x' has no valid port (expected HOST:PORT)"}.
     */
    public static HostPort parse(String text) {
        return parse(text, DEFAULT_PORT);
    }

    /** Parses one address, with {@code defaultPort} when the text names none. */
    public static HostPort parse(String text, int defaultPort) {
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
            return new HostPort(host, defaultPort);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' has no valid port (expected HOST:PORT)");
        }
        if (number < 0 || number > 65535) {
            throw new IllegalArgumentException("'" + t + "': port " + number + " is out of range 0-65535");
        }
        return new HostPort(host, number);
    }

    /** Parses {@code HOST:PORT[,HOST:PORT...]}; at least one address. */
    public static List<HostPort> parseList(String text) {
        List<HostPort> addresses = new ArrayList<>();
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

    /** The socket address, resolving the host name now. */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
