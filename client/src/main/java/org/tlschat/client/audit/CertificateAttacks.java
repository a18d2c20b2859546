package org.tlschat.client.audit;

import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.tlschat.client.audit.Attack.Check;
import org.tlschat.client.audit.Attack.Result;
import org.tlschat.client.audit.AuditTarget.Credentials;
import org.tlschat.protocol.HostPort;

/** Certificates a sound server refuses in the TLS 1.3 handshake, on its client port or its cluster port. */
final class CertificateAttacks {
    /** The credentials an attack presents, made when it runs; null for none. */
    @FunctionalInterface
    interface Presented {
        Credentials of(AuditTarget t);
    }

    static final Presented NO_CERTIFICATE = t -> null;

    private CertificateAttacks() {}

    /** Refused on the client port; skipped in password mode, where the server asks for no certificate. */
    static Check onClientPort(Presented credentials) {
        return t -> refusedOnClientPort(t, credentials.of(t));
    }

    /** Refused on the cluster port; skipped without --cluster. */
    static Check onClusterPort(Presented credentials) {
        return t ->
                t.cluster() == null ? Result.skip("no --cluster given") : refused(t, t.cluster(), credentials.of(t));
    }

    private static Result refusedOnClientPort(AuditTarget t, Credentials credentials) throws IOException {
        if (t.passwordMode()) {
            return Result.skip("password mode: the server asks for no client certificate");
        }
        return refused(t, t.server(), credentials);
    }

    private static Result refused(AuditTarget t, HostPort at, Credentials credentials) throws IOException {
        String answer;
        try (Probe probe = t.connect(at, credentials, List.of("TLSv1.3"))) {
            answer = probe.firstAnswer();
        } catch (SSLException e) {
            answer = Probe.refused(e);
        } catch (SocketException e) {
            // the peer dropped the connection instead of sending its alert: still no session
            answer = "refused (connection dropped: " + e.getMessage() + ")";
        }
        return Result.passIf(answer.startsWith("refused") || answer.startsWith("closed"), answer);
    }
}
