package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a CA directory, checked by the real openssl binary. */
class OpensslInteropTest {
    @TempDir
    Path temp;

    private Path dir;
    private CertificateAuthority ca;

    @BeforeEach
    void createCa() {
        dir = temp.resolve("pki");
        ca = CertificateAuthority.init(dir, "tlschat.local", KeyType.EC, 3650, false);
        ca.issueNode("n1", List.of("chat.example.com"), List.of("10.0.0.5"), 365);
        ca.issueUser("alice", 365);
        ca.issueUser("bob", 365);
    }

    @Test
    void opensslVerifiesNodeAndUserCertificates() throws Exception {
        for (Path cert : List.of(ca.layout().nodeCert("n1"), ca.layout().userCert("alice"))) {
            Result result = openssl("verify", "-CAfile", ca.layout().caCert().toString(), cert.toString());
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains(cert + ": OK");
        }
    }

    @Test
    void certificatesCarryTheSpiffeIdAndTheExtendedKeyUsage() throws Exception {
        Result node = openssl(
                "x509",
                "-noout",
                "-ext",
                "subjectAltName,extendedKeyUsage",
                "-in",
                ca.layout().nodeCert("n1").toString());
        assertThat(node.output())
                .contains(
                        "URI:spiffe://tlschat.local/node/n1",
                        "DNS:chat.example.com",
                        "DNS:localhost",
                        "IP Address:10.0.0.5",
                        "IP Address:127.0.0.1",
                        "TLS Web Server Authentication",
                        "TLS Web Client Authentication");
        Result user = openssl(
                "x509",
                "-noout",
                "-ext",
                "subjectAltName,extendedKeyUsage",
                "-in",
                ca.layout().userCert("alice").toString());
        assertThat(user.output())
                .contains("URI:spiffe://tlschat.local/user/alice", "TLS Web Client Authentication")
                .doesNotContain("Server Authentication", "DNS:");
        Result caText =
                openssl("x509", "-noout", "-text", "-in", ca.layout().caCert().toString());
        assertThat(caText.output())
                .contains(
                        "CA:TRUE, pathlen:0",
                        "Certificate Sign, CRL Sign",
                        "URI:spiffe://tlschat.local",
                        "Subject: CN = tlschat CA tlschat.local",
                        "ecdsa-with-SHA256");
    }

    @Test
    void revokedCertificateIsListedInTheCrlAndFailsCrlCheckedVerification() throws Exception {
        assertThat(openssl("crl", "-in", ca.layout().crl().toString(), "-noout", "-text")
                        .output())
                .contains("No Revoked Certificates");
        IndexEntry revoked = ca.revoke("alice").get(0);

        Result crl = openssl("crl", "-in", ca.layout().crl().toString(), "-noout", "-text");
        assertThat(crl.exit()).isZero();
        assertThat(crl.output().toUpperCase(Locale.ROOT))
                .contains(revoked.serial().toUpperCase(Locale.ROOT));
        assertThat(crl.output()).contains("X509v3 CRL Number: \n                2");
        Result refused = crlCheckedVerify(ca.layout().userCert("alice"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("certificate revoked");
        assertThat(crlCheckedVerify(ca.layout().userCert("bob")).exit()).isZero();
    }

    @Test
    void opensslOpensThePkcs12Bundle() throws Exception {
        Path p12 = ca.exportPkcs12("alice", "s3cret pass".toCharArray());
        Result info = openssl("pkcs12", "-info", "-in", p12.toString(), "-passin", "pass:s3cret pass", "-noout");
        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).contains("AES-256-CBC", "PBKDF2", "sha256");
        assertThat(openssl("pkcs12", "-info", "-in", p12.toString(), "-passin", "pass:wrong", "-noout")
                        .exit())
                .isNotZero();
        assertThat(mode(p12)).isEqualTo("rw-------");
    }

    @Test
    void keysAreSecretPkcs8AndDirectoriesPrivate() throws Exception {
        for (Path key : List.of(
                dir.resolve("ca.key"), ca.layout().nodeKey("n1"), ca.layout().userKey("alice"))) {
            assertThat(mode(key)).as(key.toString()).isEqualTo("rw-------");
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(openssl("pkey", "-in", key.toString(), "-noout").exit()).isZero();
        }
        for (Path directory : List.of(dir, dir.resolve("nodes"), dir.resolve("users"))) {
            assertThat(mode(directory)).as(directory.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void rsaCaIssuesVerifiableCertificates() throws Exception {
        CertificateAuthority rsa = CertificateAuthority.init(temp.resolve("rsa"), "rsa.test", KeyType.RSA, 30, false);
        rsa.issueNode("n1", List.of(), List.of(), 30);
        assertThat(openssl(
                                "verify",
                                "-CAfile",
                                rsa.layout().caCert().toString(),
                                rsa.layout().nodeCert("n1").toString())
                        .exit())
                .isZero();
        Result text = openssl(
                "x509", "-noout", "-text", "-in", rsa.layout().nodeCert("n1").toString());
        assertThat(text.output()).contains("Public-Key: (3072 bit)", "sha256WithRSAEncryption", "Key Encipherment");
    }

    private Result crlCheckedVerify(Path cert) throws Exception {
        return openssl(
                "verify",
                "-crl_check",
                "-CRLfile",
                ca.layout().crl().toString(),
                "-CAfile",
                ca.layout().caCert().toString(),
                cert.toString());
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    record Result(int exit, String output) {}

    static Result openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
