package org.tlschat.pki.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.tlschat.pki.CertificateAuthority;
import org.tlschat.pki.CertificateIssuer;
import org.tlschat.pki.CertificateRequest;
import org.tlschat.pki.ClientTlsConfig;
import org.tlschat.pki.IssuedCertificate;
import org.tlschat.pki.KeyPurpose;
import org.tlschat.pki.KeyType;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.ServerTlsConfig;
import org.tlschat.pki.SpiffeId;
import org.tlschat.pki.TlsContexts;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.TrustMaterial;

/**
 * A ready PKI for tests: CA of trust domain {@value #TRUST_DOMAIN}, node n1, users alice, bob and
 * carol, the live {@link TrustMaterial}, SSL contexts, and deliberately bad credentials.
 */
public final class TestPki {
    public static final String TRUST_DOMAIN = "tlschat.test";
    private static final int DAYS = 30;

    /** A certificate file and its key file. */
    public record Credentials(Path cert, Path key) {}

    private final CertificateAuthority ca;
    private final TrustMaterial trust;
    private final Path forgedDir;

    private TestPki(CertificateAuthority ca, Path forgedDir) {
        this.ca = ca;
        this.trust = TrustMaterial.load(ca.layout().caCert(), ca.layout().crl());
        this.forgedDir = forgedDir;
    }

    public static TestPki create(Path tempDir) {
        CertificateAuthority ca =
                CertificateAuthority.init(tempDir.resolve("pki"), TRUST_DOMAIN, KeyType.EC, DAYS, false);
        ca.issueNode("n1", List.of(), List.of(), DAYS);
        for (String user : List.of("alice", "bob", "carol")) {
            ca.issueUser(user, DAYS);
        }
        return new TestPki(ca, tempDir);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The trust material servers and clients of this PKI share; call reloadCrl() after a revoke. */
    public TrustMaterial trust() {
        return trust;
    }

    public Credentials node(String name) {
        return new Credentials(ca.layout().nodeCert(name), ca.layout().nodeKey(name));
    }

    public Credentials user(String name) {
        return new Credentials(ca.layout().userCert(name), ca.layout().userKey(name));
    }

    /** A server context presenting node n1; with {@code mutual} it requires a user certificate. */
    public SslContext serverTls(SslProvider provider, boolean mutual) throws SSLException {
        return serverTls(provider, mutual, node("n1"), SpiffeId.Kind.USER);
    }

    public SslContext serverTls(SslProvider provider, boolean mutual, Credentials server, SpiffeId.Kind clientKind)
            throws SSLException {
        return TlsContexts.server(new ServerTlsConfig(
                server.cert(), server.key(), trust, mutual, clientKind, TlsVersion.TLS13, provider));
    }

    /** A client context expecting a node server, presenting {@code user}'s certificate (none if null). */
    public SslContext clientTls(String user, SslProvider provider) throws SSLException {
        return clientTls(user == null ? null : user(user), provider);
    }

    public SslContext clientTls(Credentials credentials, SslProvider provider) throws SSLException {
        return TlsContexts.client(new ClientTlsConfig(
                trust,
                credentials == null ? null : credentials.cert(),
                credentials == null ? null : credentials.key(),
                SpiffeId.Kind.NODE,
                TlsVersion.TLS13,
                provider));
    }

    /** A user certificate of this CA that expired yesterday. */
    public Credentials expiredUser(String name) {
        Instant now = Instant.now();
        return forge(
                name + "-expired",
                ca.issuer(),
                userRequest(name).withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
    }

    /** A user certificate of this CA with EKU serverAuth only. */
    public Credentials userWithoutClientAuth(String name) {
        return forge(
                name + "-no-client-auth", ca.issuer(), userRequest(name).withPurposes(Set.of(KeyPurpose.SERVER_AUTH)));
    }

    /** A user certificate of the same trust domain signed by a throwaway CA nobody trusts. */
    public Credentials rogueUser(String name) {
        Instant now = Instant.now();
        IssuedCertificate rogueCa = CertificateIssuer.selfSignedCa(
                TRUST_DOMAIN, KeyType.EC, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(DAYS)));
        return forge(
                name + "-rogue", new CertificateIssuer(rogueCa.certificate(), rogueCa.privateKey()), userRequest(name));
    }

    /** Signs {@code request} with {@code issuer} and writes it to forged/NAME.pem|key. */
    public Credentials forge(String fileName, CertificateIssuer issuer, CertificateRequest request) {
        IssuedCertificate issued = issuer.issue(request);
        Credentials files = new Credentials(forgedDir.resolve(fileName + ".pem"), forgedDir.resolve(fileName + ".key"));
        PemFiles.writeCertificates(files.cert(), issued.certificate());
        PemFiles.writePrivateKey(files.key(), issued.privateKey());
        return files;
    }

    public static CertificateRequest userRequest(String name) {
        return CertificateRequest.user(TRUST_DOMAIN, name, KeyType.EC, DAYS);
    }
}
