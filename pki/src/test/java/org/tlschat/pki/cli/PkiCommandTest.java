package org.tlschat.pki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pki commands' side of the exit-code contract: user mistakes are ParameterExceptions (exit 2)
 * whose message comes first, never a stack trace. The one-line "error: ..." format itself is
 * dist's org.tlschat.cli.Cli, which configures the handlers.
 */
class PkiCommandTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void initWritesOneLinePerFileWithExpiry() {
        assertThat(run("init", "--dir", dir())).isZero();
        assertThat(out.toString())
                .contains(
                        "wrote " + dir() + "/ca.pem (CA for tlschat.local, expires ",
                        "wrote " + dir() + "/ca.key (CA private key, mode 0600)",
                        "wrote " + dir() + "/crl.pem");
        assertThat(run("user", "--dir", dir(), "--name", "alice")).isZero();
        assertThat(out.toString())
                .containsPattern("wrote .*/users/alice.pem \\(user alice, expires \\d{4}-\\d{2}-\\d{2}\\)");
    }

    @Test
    void initTwiceWithoutForceIsAUsageErrorAndLeavesTheCa() throws Exception {
        run("init", "--dir", dir());
        byte[] before = Files.readAllBytes(temp.resolve("pki/ca.pem"));
        assertUsageError(run("init", "--dir", dir()), "a CA already exists here (use --force to replace it)");
        assertThat(Files.readAllBytes(temp.resolve("pki/ca.pem"))).isEqualTo(before);
    }

    @Test
    void badNameUnknownNameMissingDirAndBadIpAreUsageErrors() {
        run("init", "--dir", dir());
        assertUsageError(run("user", "--dir", dir(), "--name", "Bad Name"), "invalid name 'Bad Name'");
        assertUsageError(run("revoke", "--dir", dir(), "--name", "nobody"), "unknown name 'nobody'");
        assertUsageError(
                run("node", "--dir", dir(), "--name", "n1", "--ip", "10.0.0.1,not-an-ip"),
                "invalid IP address 'not-an-ip'");
        assertUsageError(run("list", "--dir", temp.resolve("missing").toString()), "no such directory");
        assertUsageError(run("user", "--dir", dir(), "--name", "bob", "--p12"), "--p12 needs a password");
    }

    @Test
    void p12PasswordFileRevokeAndList() throws Exception {
        run("init", "--dir", dir());
        Path passwordFile = temp.resolve("pass");
        Files.writeString(passwordFile, "hunter22\n");
        assertThat(run(
                        "user",
                        "--dir",
                        dir(),
                        "--name",
                        "bob",
                        "--p12",
                        "--p12-password-file",
                        passwordFile.toString()))
                .isZero();
        assertThat(out.toString()).contains("users/bob.p12 (PKCS#12 bundle, mode 0600)");
        assertThat(run("node", "--dir", dir(), "--name", "n1", "--dns", "a.example,b.example", "--dns", "c.example"))
                .isZero();
        assertThat(run("revoke", "--dir", dir(), "--name", "bob")).isZero();
        assertThat(run("crl", "--dir", dir())).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("list", "--dir", dir())).isZero();
        assertThat(out.toString().lines()).hasSize(3).first().asString().startsWith("KIND  NAME");
        assertThat(out.toString()).containsPattern("user +bob +[0-9a-f]+ +\\d{4}-\\d{2}-\\d{2} +\\d{4}-");
    }

    @Test
    void revokeByNameRevokesEveryCertificateOfTheNameAndSaysHowMany() {
        run("init", "--dir", dir());
        run("user", "--dir", dir(), "--name", "alice");
        run("user", "--dir", dir(), "--name", "alice", "--force");
        run("node", "--dir", dir(), "--name", "alice");
        assertUsageError(run("revoke", "--dir", dir(), "--name", "alice"), "choose one with --kind user|node");
        assertUsageError(run("revoke", "--dir", dir(), "--name", "alice", "--kind", "robot"), "invalid --kind");
        out.getBuffer().setLength(0);

        assertThat(run("revoke", "--dir", dir(), "--name", "alice", "--kind", "user"))
                .isZero();

        assertThat(out.toString().lines())
                .filteredOn(line -> line.startsWith("revoked user alice (serial "))
                .hasSize(2);
        assertThat(out.toString()).contains("2 certificates of 'alice' revoked", "(CRL, 2 revoked)");
    }

    private void assertUsageError(int exit, String message) {
        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString().lines().findFirst())
                .hasValueSatisfying(line -> assertThat(line).contains(message));
        assertThat(err.toString()).doesNotContain("\tat ", "Exception");
        err.getBuffer().setLength(0);
    }

    private String dir() {
        return temp.resolve("pki").toString();
    }

    private int run(String... args) {
        return new CommandLine(new PkiCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
