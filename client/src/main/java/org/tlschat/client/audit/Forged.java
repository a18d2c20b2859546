package org.tlschat.client.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.tlschat.client.audit.AuditTarget.Credentials;
import org.tlschat.pki.CertificateIssuer;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.KeyPurpose;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.SpiffeId;

/** The wrong certificates the audit presents, each forged with the PKI directory's CA or another one. */
final class Forged {
    private Forged() {}

    /** A user certificate from a CA of the same trust domain that nobody trusts. */
    static Credentials fromRogueCa(AuditTarget t) {
        return t.forge("rogue", t.rogueCa(), t.userRequest("rogue"));
    }

    /** A user certificate signed by a self-signed CA made for it. */
    static Credentials selfSigned(AuditTarget t) {
        Instant now = Instant.now();
        IssuedCertificate self = CertificateIssuer.selfSignedCa(
                t.ca().trustDomain(), KeyType.EC, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        return t.forge(
                "self-signed",
                new CertificateIssuer(self.certificate(), self.privateKey()),
                t.userRequest("self-signed"));
    }

    /** A user certificate of the CA that expired yesterday. */
    static Credentials expired(AuditTarget t) {
        return t.forge(
                "expired",
                t.ca().issuer(),
                t.userRequest("expired")
                        .withValidity(
                                Instant.now().minus(Duration.ofDays(10)),
                                Instant.now().minus(Duration.ofDays(1))));
    }

    /** A user certificate of the CA for server authentication only. */
    static Credentials withoutClientAuth(AuditTarget t) {
        return t.forge("no-eku", t.ca().issuer(), t.userRequest("no-eku").withPurposes(Set.of(KeyPurpose.SERVER_AUTH)));
    }

    /** A node certificate of the CA. */
    static Credentials nodeAsUser(AuditTarget t) {
        return t.forge("node", t.ca().issuer(), t.nodeRequest("node"));
    }

    /** A user certificate of the CA naming two users. */
    static Credentials twoSpiffeIds(AuditTarget t) {
        return t.forge(
                "two-ids",
                t.ca().issuer(),
                t.userRequest("two-ids").withUris(List.of(userUri(t, "a"), userUri(t, "b"))));
    }

    /** A node certificate from a CA of the same trust domain that nobody trusts. */
    static Credentials rogueNode(AuditTarget t) {
        return t.forge("cluster-rogue", t.rogueCa(), t.nodeRequest("cluster-rogue"));
    }

    private static String userUri(AuditTarget t, String label) {
        return new SpiffeId(t.ca().trustDomain(), SpiffeId.Kind.USER, t.name(label)).uri();
    }
}
