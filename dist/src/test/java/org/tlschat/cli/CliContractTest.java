package org.tlschat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.cli.Cli;
import org.tlschat.server.cli.SettingsDefaults;
import picocli.CommandLine;

/**
 * The exit-code contract of the tlschat command line, run in process exactly as Main wires it:
 * 0 success, 2 and one line {@code error: ... (see 'tlschat <sub> --help')} for a usage mistake,
 * and never a stack trace for a user mistake.
 */
class CliContractTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        /** stderr as lines, without the trailing empty one. */
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\n");
        }
    }

    @Test
    void tlschatAloneIsAUsageErrorOfOneLine() {
        Run run = tlschat();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .endsWith("(see 'tlschat --help')");
        assertNoStackTrace(run);
    }

    @Test
    void pkiInitTwiceRefusesToOverwriteWithOneErrorLine() {
        Path dir = tmp.resolve("pki");
        Run first = tlschat("pki", "init", "--dir", dir.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("wrote " + dir.resolve("ca.pem"));

        Run second = tlschat("pki", "init", "--dir", dir.toString());

        assertThat(second.exit()).isEqualTo(2);
        assertThat(second.errLines())
                .singleElement()
                .asString()
                .matches("error: .+ \\(see 'tlschat pki init --help'\\)");
        assertNoStackTrace(second);
    }

    @Test
    void serverWithAMissingPkiDirIsAUsageErrorOfOneLine() {
        Path missing = tmp.resolve("no-such-pki");

        Run run = tlschat("server", "--pki", missing.toString(), "--listen", "127.0.0.1:0", "--admin", "off");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains(missing.toString())
                .endsWith("(see 'tlschat server --help')");
        assertNoStackTrace(run);
    }

    @Test
    void demoWithANegativeRateLimitIsAUsageErrorOfOneLineBeforeAnyPkiIsMade() {
        Path dir = tmp.resolve("demo");

        Run run = tlschat("demo", "--dir", dir.toString(), "--rate-limit", "-1", "--listen", "127.0.0.1:0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("--rate-limit", "-1")
                .endsWith("(see 'tlschat demo --help')");
        assertThat(dir).doesNotExist();
        assertNoStackTrace(run);
    }

    @Test
    void serverWithAnUnknownAuthModeIsAUsageError() {
        Path dir = tmp.resolve("pki");
        assertThat(tlschat("pki", "init", "--dir", dir.toString()).exit()).isZero();
        assertThat(tlschat("pki", "node", "--dir", dir.toString(), "--name", "n1")
                        .exit())
                .isZero();

        Run run = tlschat(
                "server", "--pki", dir.toString(), "--auth", "nope", "--listen", "127.0.0.1:0", "--admin", "off");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--auth").contains("nope");
        assertNoStackTrace(run);
    }

    @Test
    void anUnknownFlagIsAUsageErrorOfOneLine() {
        Run run = tlschat("server", "--no-such-flag");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--no-such-flag");
        assertNoStackTrace(run);
    }

    @Test
    void usersAddWithAPasswordFileWritesAnArgon2idEntry() throws Exception {
        Path users = tmp.resolve("users.json");
        Path password = Files.writeString(tmp.resolve("pw.txt"), "correct horse battery\n");

        Run run = tlschat(
                "users", "add", "--file", users.toString(), "--name", "alice", "--password-file", password.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + users);
        assertThat(Files.readString(users))
                .contains("alice")
                .contains("$argon2id$")
                .doesNotContain("correct horse");
    }

    @Test
    void usersAddRefusesAShortPassword() throws Exception {
        Path users = tmp.resolve("users.json");
        Path password = Files.writeString(tmp.resolve("pw.txt"), "short\n");

        Run run = tlschat(
                "users", "add", "--file", users.toString(), "--name", "alice", "--password-file", password.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("at least 8 characters")
                .endsWith("(see 'tlschat users add --help')");
        assertThat(users).doesNotExist();
        assertNoStackTrace(run);
    }

    @Test
    void versionPrintsTheProgramNameAndVersion() {
        Run run = tlschat("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).matches("tlschat \\S+");
        assertThat(run.err()).isEmpty();
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).doesNotContain("\tat ");
    }

    /** Runs {@code tlschat args...} in process, wired as {@link Main#main} does, capturing its output. */
    private static Run tlschat(String... args) {
        CommandLine cli = Cli.configure(new CommandLine(new Main()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        SettingsDefaults.install(cli.getSubcommands().get("server"), args);
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
