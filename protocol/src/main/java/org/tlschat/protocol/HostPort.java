package org.tlschat.protocol;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses as people type them: {@code HOST:PORT}, {@code [v6]:PORT}, {@code HOST} (the default
 * port) or {@code :PORT} (all interfaces). Errors say what is wrong with the text.
 */
public final class HostPort {
    /** The default client port of PROTOCOL.md. */
    public static final int DEFAULT_PORT = 7443;

    private HostPort() {
    }

    public static InetSocketAddress parse(String text, int defaultPort) {
        String s = text.strip();
        String host = s;
        int port = defaultPort;
        int colon = s.lastIndexOf(':');
        boolean bareIpv6 = colon >= 0 && s.indexOf(':') != colon && !s.startsWith("[");
        if (colon >= 0 && !bareIpv6 && !s.endsWith("]")) {
            host = s.substring(0, colon);
            port = parsePort(text, s.substring(colon + 1));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    /** A comma-separated list, e.g. {@code a:7443,b:7443}. */
    public static List<InetSocketAddress> parseList(String text, int defaultPort) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                addresses.add(parse(part, defaultPort));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address in '" + text + "'");
        }
        return addresses;
    }

    private static int parsePort(String text, String digits) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' has no valid port (0-65535)");
    }
}
