package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.testing.TestPki;

class CertificateAuthorityTest {
    @TempDir
    Path temp;

    @Test
    void initRefusesAnExistingCaAndLeavesItUntouched() throws Exception {
        Path dir = temp.resolve("pki");
        CertificateAuthority.init(dir, "tlschat.local", KeyType.EC, 10, false);
        byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
        byte[] keyBefore = Files.readAllBytes(dir.resolve("ca.key"));

        assertThatThrownBy(() -> CertificateAuthority.init(dir, "tlschat.local", KeyType.EC, 10, false))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("a CA already exists here (use --force");
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caBefore);
        assertThat(Files.readAllBytes(dir.resolve("ca.key"))).isEqualTo(keyBefore);

        CertificateAuthority.init(dir, "tlschat.local", KeyType.EC, 10, true);
        assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isNotEqualTo(caBefore);
    }

    @Test
    void issuingAnExistingNameNeedsForceAndRecordsANewSerial() {
        CertificateAuthority ca = TestPki.create(temp).ca();
        assertThatThrownBy(() -> ca.issueUser("alice", 10))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("already has a certificate (use --force");
        IssuedCertificate again = ca.issueUser("alice", 10, true);
        assertThat(PemFiles.readCertificate(ca.layout().userCert("alice"))).isEqualTo(again.certificate());
        assertThat(ca.entries()).filteredOn(e -> e.name().equals("alice")).hasSize(2);
    }

    @Test
    void rejectsBadNamesAddressesAndUnknownNames() {
        CertificateAuthority ca = TestPki.create(temp).ca();
        assertThatThrownBy(() -> ca.issueUser("Alice!", 10))
                .hasMessageContaining("invalid name 'Alice!'")
                .hasMessageContaining("lowercase letters");
        assertThatThrownBy(() -> ca.issueNode("n2", List.of(), List.of("10.0.0.300"), 10))
                .hasMessageContaining("invalid IP address '10.0.0.300'");
        assertThatThrownBy(() -> ca.revoke("zed"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("unknown name 'zed'");
        assertThatThrownBy(() -> CertificateAuthority.open(temp.resolve("nowhere")))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("no such directory");
    }

    @Test
    void indexRecordsIssuesAndRevocationsAndSurvivesReopening() throws Exception {
        TestPki pki = TestPki.create(temp);
        IndexEntry revoked = pki.ca().revoke("bob").get(0);
        CertificateAuthority reopened =
                CertificateAuthority.open(pki.ca().layout().dir());

        assertThat(reopened.trustDomain()).isEqualTo(TestPki.TRUST_DOMAIN);
        assertThat(reopened.entries()).extracting(IndexEntry::name).containsExactly("n1", "alice", "bob", "carol");
        assertThat(reopened.entries()).filteredOn(IndexEntry::revoked).containsExactly(revoked);
        assertThat(Files.readString(pki.ca().layout().index()))
                .contains("\"kind\" : \"user\"", "\"not_after\" : \"", "\"revoked_at\" : null", "\"crl_number\" : 2");
        assertThatThrownBy(() -> reopened.revokeSerial(revoked.serialNumber())).hasMessageContaining("already revoked");
    }

    /** "Re-issue, then revoke the leaked one by name" must not leave the leaked certificate valid. */
    @Test
    void revokeByNameRevokesEveryUnrevokedCertificateOfThatNameAndOnlyOfThatKind() throws Exception {
        TestPki pki = TestPki.create(temp);
        CertificateAuthority ca = pki.ca();
        var leaked = PemFiles.readCertificate(ca.layout().userCert("alice"));
        var reissued = ca.issueUser("alice", 10, true).certificate();
        ca.issueNode("alice", List.of(), List.of(), 10);

        assertThatThrownBy(() -> ca.revoke("alice"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("both a user and a node: choose one with --kind user|node");
        List<IndexEntry> revoked = ca.revoke("alice", SpiffeId.Kind.USER);

        assertThat(revoked)
                .extracting(IndexEntry::serialNumber)
                .containsExactly(leaked.getSerialNumber(), reissued.getSerialNumber());
        pki.trust().reloadCrl();
        assertThat(pki.trust().isRevoked(leaked)).as("the leaked certificate").isTrue();
        assertThat(pki.trust().isRevoked(reissued)).as("the re-issued one").isTrue();
        assertThat(ca.entries())
                .filteredOn(e -> e.kind() == SpiffeId.Kind.NODE && e.name().equals("alice"))
                .allMatch(e -> !e.revoked());
        assertThatThrownBy(() -> ca.revoke("alice", SpiffeId.Kind.USER)).hasMessageContaining("already revoked");
    }

    @Test
    void trustMaterialReadsTheTrustDomainAndKeepsTheLastGoodCrl() throws Exception {
        TestPki pki = TestPki.create(temp);
        TrustMaterial trust = pki.trust();
        assertThat(trust.trustDomain()).isEqualTo(TestPki.TRUST_DOMAIN);
        var bob = PemFiles.readCertificate(pki.ca().layout().userCert("bob"));
        pki.ca().revoke("bob");
        trust.reloadCrl();
        assertThat(trust.isRevoked(bob)).isTrue();

        Files.writeString(pki.ca().layout().crl(), "garbage");
        assertThatThrownBy(trust::reloadCrl).isInstanceOf(PkiException.class);
        assertThat(trust.isRevoked(bob)).isTrue();
    }

    @Test
    void spiffeIdOfACertificateNeedsExactlyOneIdentity() throws Exception {
        TestPki pki = TestPki.create(temp);
        CertificateIssuer issuer = pki.ca().issuer();
        assertThat(SpiffeId.of(PemFiles.readCertificate(pki.ca().layout().nodeCert("n1"))))
                .isEqualTo(new SpiffeId(TestPki.TRUST_DOMAIN, SpiffeId.Kind.NODE, "n1"));
        assertThatThrownBy(
                        () -> SpiffeId.of(issuer.issue(TestPki.userRequest("x").withUris(List.of()))
                                .certificate()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("exactly one spiffe:// URI SAN, found 0");
        assertThatThrownBy(() -> SpiffeId.of(issuer.issue(TestPki.userRequest("x")
                                .withUris(List.of("spiffe://tlschat.test/user/x", "spiffe://tlschat.test/user/y")))
                        .certificate()))
                .hasMessageContaining("found 2");
        assertThatThrownBy(() -> SpiffeId.of(
                        issuer.issue(TestPki.userRequest("x").withUris(List.of("spiffe://tlschat.test/admin/x")))
                                .certificate()))
                .hasMessageContaining("unknown kind 'admin'");
        assertThat(SpiffeId.parse("spiffe://td.example/user/alice").uri()).isEqualTo("spiffe://td.example/user/alice");
    }
}
