package org.tlschat.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where each file of a PKI directory lives: {@code ca.pem ca.key crl.pem index.json nodes/NAME.pem|key
 * users/NAME.pem|key|p12}. The one place that knows the layout; the CA writes it, every command reads
 * it. Names are checked ({@link Names#requireValid}) before they become file names.
 */
public record PkiLayout(Path dir) {
    private static final String CERT = ".pem";
    private static final String KEY = ".key";

    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path crl() {
        return dir.resolve("crl.pem");
    }

    public Path index() {
        return dir.resolve("index.json");
    }

    public Path nodes() {
        return dir.resolve("nodes");
    }

    public Path users() {
        return dir.resolve("users");
    }

    public Path nodeCert(String name) {
        return nodes().resolve(Names.requireValid(name) + CERT);
    }

    public Path nodeKey(String name) {
        return nodes().resolve(Names.requireValid(name) + KEY);
    }

    public Path userCert(String name) {
        return users().resolve(Names.requireValid(name) + CERT);
    }

    public Path userKey(String name) {
        return users().resolve(Names.requireValid(name) + KEY);
    }

    public Path userPkcs12(String name) {
        return users().resolve(Names.requireValid(name) + ".p12");
    }

    /** The node names with a certificate in {@code nodes/}, sorted; none when the folder is missing. */
    public List<String> nodeNames() {
        return certificateNames(nodes());
    }

    /** The user names with a certificate and a readable key in {@code users/}, sorted. */
    public List<String> userNames() {
        return certificateNames(users()).stream()
                .filter(user -> Files.isReadable(userKey(user)))
                .toList();
    }

    private static List<String> certificateNames(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(CERT))
                    .map(name -> name.substring(0, name.length() - CERT.length()))
                    .filter(Names::isValid)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PkiException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }
}
