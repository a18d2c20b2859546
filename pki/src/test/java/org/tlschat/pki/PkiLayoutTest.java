package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.testing.TestPki;

/** The file names every command takes from a PKI directory, and what it lists in it. */
class PkiLayoutTest {
    @TempDir
    Path temp;

    @Test
    void theCaWritesWhereTheLayoutSays() {
        CertificateAuthority ca = TestPki.create(temp).ca();
        PkiLayout layout = new PkiLayout(temp.resolve("pki"));

        assertThat(layout).isEqualTo(ca.layout());
        assertThat(layout.caCert()).isRegularFile().hasFileName("ca.pem");
        assertThat(layout.caKey()).isRegularFile().hasFileName("ca.key");
        assertThat(layout.crl()).isRegularFile().hasFileName("crl.pem");
        assertThat(layout.index()).isRegularFile().hasFileName("index.json");
        assertThat(layout.nodeCert("n1")).isRegularFile().isEqualTo(layout.dir().resolve("nodes/n1.pem"));
        assertThat(layout.nodeKey("n1")).isRegularFile().isEqualTo(layout.dir().resolve("nodes/n1.key"));
        assertThat(layout.userCert("alice"))
                .isRegularFile()
                .isEqualTo(layout.dir().resolve("users/alice.pem"));
        assertThat(layout.userKey("alice"))
                .isRegularFile()
                .isEqualTo(layout.dir().resolve("users/alice.key"));
    }

    @Test
    void listsNodesAndUsersWithACertificateAndSkipsWhatIsNotOne() throws Exception {
        CertificateAuthority ca = TestPki.create(temp).ca();
        PkiLayout layout = ca.layout();
        ca.issueNode("n2", List.of(), List.of(), 10);
        Files.writeString(layout.users().resolve("Not A Name.pem"), "x");
        Files.writeString(layout.users().resolve("dave.pem"), "a certificate whose key is missing");
        Files.writeString(layout.users().resolve("notes.txt"), "x");

        assertThat(layout.nodeNames()).containsExactly("n1", "n2");
        assertThat(layout.userNames()).containsExactly("alice", "bob", "carol");
        assertThat(new PkiLayout(temp.resolve("missing")).userNames()).isEmpty();
    }

    @Test
    void aNameThatIsNotANameNeverBecomesAPath() {
        PkiLayout layout = new PkiLayout(temp);

        assertThatThrownBy(() -> layout.userCert("../ca"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("../ca");
        assertThatThrownBy(() -> layout.nodeKey("N1")).isInstanceOf(PkiException.class);
    }
}
