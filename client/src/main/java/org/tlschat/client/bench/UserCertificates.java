package org.tlschat.client.bench;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.TrustMaterial;

/**
 * The users a bench logs in as, from DIR/users/NAME.pem|key, handed out round robin. Client
 * session caching is off, so every connection makes a full handshake.
 */
final class UserCertificates {
    private final List<String> users;
    private final List<SslContext> contexts;

    private UserCertificates(List<String> users, List<SslContext> contexts) {
        this.users = List.copyOf(users);
        this.contexts = List.copyOf(contexts);
    }

    /** {@code only} empty = every user of the directory; IllegalArgumentException names what is missing. */
    static UserCertificates load(Path pki, List<String> only) throws SSLException {
        Path ca = pki.resolve("ca.pem");
        if (!Files.isReadable(ca)) {
            throw new IllegalArgumentException("--pki: no readable " + ca + " (see 'tlschat pki init')");
        }
        List<String> users = only.isEmpty() ? usersIn(pki.resolve("users")) : only;
        if (users.isEmpty()) {
            throw new IllegalArgumentException("--pki: no user certificates in " + pki.resolve("users") + " (see 'tlschat pki user')");
        }
        TrustMaterial trust = TrustMaterial.load(ca, null);
        List<SslContext> contexts = new ArrayList<>();
        for (String user : users) {
            Path cert = pki.resolve("users").resolve(user + ".pem");
            Path key = pki.resolve("users").resolve(user + ".key");
            if (!Files.isReadable(cert) || !Files.isReadable(key)) {
                throw new IllegalArgumentException("--users: no certificate for '" + user + "' in " + pki.resolve("users"));
            }
            SslContext context = TlsContexts.client(new ClientTlsConfig(trust, cert, key, SpiffeId.Kind.NODE,
                    TlsVersion.TLS13, TlsContexts.provider()));
            if (context.sessionContext() instanceof OpenSslSessionContext openssl) {
                openssl.setSessionCacheEnabled(false);
            }
            contexts.add(context);
        }
        return new UserCertificates(users, contexts);
    }

    private static List<String> usersIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".pem"))
                    .map(name -> name.substring(0, name.length() - ".pem".length()))
                    .filter(user -> Files.isReadable(dir.resolve(user + ".key")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--pki: cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** The user of connection number {@code index}. */
    String user(int index) {
        return users.get(index % users.size());
    }

    SslContext context(int index) {
        return contexts.get(index % contexts.size());
    }

    int size() {
        return users.size();
    }
}
