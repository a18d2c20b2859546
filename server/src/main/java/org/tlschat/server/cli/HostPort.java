package org.tlschat.server.cli;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (all interfaces). */
final class HostPort {
    private HostPort() {
    }

    static InetSocketAddress parse(String text, String wildcard) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        return new InetSocketAddress(host.isEmpty() ? wildcard : host, port);
    }
}
