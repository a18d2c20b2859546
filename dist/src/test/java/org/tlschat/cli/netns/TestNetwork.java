package org.tlschat.cli.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Separate machines for tests: one Linux network namespace per host, each with an {@code eth0}
 * veth cabled to a bridge in a "switch" namespace, addresses from 198.18.0.0/24 (the benchmark
 * range, never routed). Links can be cut and restored. Needs root and iproute2; {@link #close()}
 * deletes every namespace it made, which also removes the links.
 */
public final class TestNetwork implements AutoCloseable {
    private final String prefix = "tc"
            + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt())
            + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt());
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();

    public static boolean available() {
        try {
            return "root".equals(System.getProperty("user.name"))
                    && new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public TestNetwork() throws IOException {
        createNamespace(sw());
        ip(sw(), "link", "add", "br0", "type", "bridge");
        ip(sw(), "link", "set", "br0", "up");
    }

    /** Adds host {@code name} with address 198.18.0.{@code octet}. */
    public TestNetwork host(String name, int octet) throws IOException {
        String ns = ns(name);
        createNamespace(ns);
        String port = "p" + name;
        run("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", sw());
        ip(sw(), "link", "set", port, "master", "br0");
        ip(sw(), "link", "set", port, "up");
        String address = "198.18.0." + octet;
        ip(ns, "addr", "add", address + "/24", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        addresses.put(name, address);
        return this;
    }

    public String address(String host) {
        return addresses.get(host);
    }

    /** Unplugs (or plugs back) the cable of {@code host}. */
    public void link(String host, boolean up) throws IOException {
        ip(ns(host), "link", "set", "eth0", up ? "up" : "down");
    }

    /** The command prefixed so that it runs inside {@code host}. */
    public List<String> inside(String host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(host)));
        full.addAll(command);
        return full;
    }

    /** Runs a short command inside {@code host} and returns its stdout. */
    public String exec(String host, String... command) throws IOException {
        return run(inside(host, List.of(command)).toArray(new String[0]));
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "delete", ns);
            } catch (IOException e) {
                // keep deleting the others
            }
        }
    }

    private String sw() {
        return prefix + "-sw";
    }

    private String ns(String host) {
        return prefix + "-" + host;
    }

    private void createNamespace(String ns) throws IOException {
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
    }

    private void ip(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
        command.addAll(List.of(args));
        run(command.toArray(new String[0]));
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
