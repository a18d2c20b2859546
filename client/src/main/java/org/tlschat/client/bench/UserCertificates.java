package org.tlschat.client.bench;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.TrustMaterial;
import org.tlschat.protocol.Names;

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
    static UserCertificates load(PkiLayout pki, List<String> only) throws SSLException {
        if (!Files.isReadable(pki.caCert())) {
            throw new IllegalArgumentException("--pki: no readable " + pki.caCert() + " (see 'tlschat pki init')");
        }
        List<String> users = only.isEmpty() ? pki.userNames() : only;
        if (users.isEmpty()) {
            throw new IllegalArgumentException(
                    "--pki: no user certificates in " + pki.users() + " (see 'tlschat pki user')");
        }
        TrustMaterial trust = TrustMaterial.load(pki.caCert(), null);
        List<SslContext> contexts = new ArrayList<>();
        for (String user : users) {
            if (!Names.isUser(user) || !Files.isReadable(pki.userCert(user)) || !Files.isReadable(pki.userKey(user))) {
                throw new IllegalArgumentException("--users: no certificate for '" + user + "' in " + pki.users());
            }
            SslContext context = TlsContexts.client(new ClientTlsConfig(
                    trust,
                    pki.userCert(user),
                    pki.userKey(user),
                    SpiffeId.Kind.NODE,
                    TlsVersion.TLS13,
                    TlsContexts.provider()));
            if (context.sessionContext() instanceof OpenSslSessionContext openssl) {
                openssl.setSessionCacheEnabled(false);
            }
            contexts.add(context);
        }
        return new UserCertificates(users, contexts);
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
