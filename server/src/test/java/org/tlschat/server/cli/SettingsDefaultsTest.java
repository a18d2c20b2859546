package org.tlschat.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.testing.TestPki;
import org.tlschat.server.AuthMode;
import org.tlschat.server.ServerConfig;
import org.tlschat.server.ServerConfig.SessionLimits;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code tlschat server} gets each setting: a flag beats TLSCHAT_* in the environment, which
 * beats the config file, which beats the built-in default; and how the flags become a ServerConfig.
 */
class SettingsDefaultsTest {
    @TempDir
    Path tmp;

    TestPki pki;
    Path pkiDir;

    @BeforeEach
    void createPki() {
        pki = TestPki.create(tmp);
        pkiDir = tmp.resolve("pki");
    }

    @Test
    void withNothingSetTheBuiltInDefaultsApply() {
        ServerConfig config = configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString());

        assertThat(config.listeners().client()).isEqualTo(new InetSocketAddress("0.0.0.0", 7443));
        assertThat(config.listeners().admin()).isEqualTo(new InetSocketAddress("127.0.0.1", 9090));
        assertThat(config.limits().rateLimit()).isEqualTo(SessionLimits.DEFAULT_RATE_LIMIT);
        assertThat(config.authentication().mode()).isEqualTo(AuthMode.MTLS);
        assertThat(config.tls().minVersion()).isEqualTo(TlsVersion.TLS13);
    }

    @Test
    void theConfigFileBeatsTheBuiltInDefault() {
        ServerConfig config =
                configFrom(Map.of(), file("listen", "127.0.0.1:7001", "rate-limit", "7"), "--pki", pkiDir.toString());

        assertThat(config.listeners().client()).isEqualTo(new InetSocketAddress("127.0.0.1", 7001));
        assertThat(config.limits().rateLimit()).isEqualTo(7);
    }

    @Test
    void theEnvironmentBeatsTheConfigFile() {
        ServerConfig config = configFrom(
                Map.of("TLSCHAT_LISTEN", "127.0.0.1:7002", "TLSCHAT_RATE_LIMIT", "8"),
                file("listen", "127.0.0.1:7001", "rate-limit", "7", "rate-burst", "9"),
                "--pki",
                pkiDir.toString());

        assertThat(config.listeners().client()).isEqualTo(new InetSocketAddress("127.0.0.1", 7002));
        assertThat(config.limits().rateLimit()).isEqualTo(8);
        assertThat(config.limits().rateBurst())
                .as("not in the environment: from the file")
                .isEqualTo(9);
    }

    @Test
    void aFlagBeatsTheEnvironmentAndTheConfigFile() {
        ServerConfig config = configFrom(
                Map.of("TLSCHAT_LISTEN", "127.0.0.1:7002", "TLSCHAT_RATE_LIMIT", "8"),
                file("listen", "127.0.0.1:7001", "rate-limit", "7"),
                "--pki",
                pkiDir.toString(),
                "--listen",
                "127.0.0.1:7003",
                "--rate-limit",
                "6");

        assertThat(config.listeners().client()).isEqualTo(new InetSocketAddress("127.0.0.1", 7003));
        assertThat(config.limits().rateLimit()).isEqualTo(6);
    }

    @Test
    void everyFlagHasItsEnvironmentVariable() {
        assertThat(SettingsDefaults.variableFor("--max-pending")).isEqualTo("TLSCHAT_MAX_PENDING");
        ServerConfig config = configFrom(
                Map.of("TLSCHAT_PKI", pkiDir.toString(), "TLSCHAT_TLS_MIN", "1.2", "TLSCHAT_ADMIN", "off"),
                new Properties());

        assertThat(config.tls().cert()).isEqualTo(pkiDir.resolve("nodes/n1.pem"));
        assertThat(config.tls().minVersion()).isEqualTo(TlsVersion.TLS12);
        assertThat(config.listeners().admin()).as("--admin off").isNull();
    }

    @Test
    void passwordGuessingLimitsComeFromTheirFlagsAndAreChecked() {
        assertThat(configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString())
                        .guessing())
                .isEqualTo(ServerConfig.PasswordGuessing.DEFAULT);
        ServerConfig config = configFrom(
                Map.of("TLSCHAT_AUTH_QUEUE", "16"),
                new Properties(),
                "--pki",
                pkiDir.toString(),
                "--auth-guesses",
                "3",
                "--auth-guesses-per-address",
                "10",
                "--auth-window",
                "30");

        assertThat(config.guessing())
                .isEqualTo(new ServerConfig.PasswordGuessing(3, 10, java.time.Duration.ofSeconds(30), 16));
        assertThatThrownBy(
                        () -> configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--auth-window", "0"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--auth-window");
    }

    @Test
    void pkiDirPicksItsOnlyNodeCertificateWithTheCaAndCrl() {
        ServerConfig config = configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString());

        assertThat(config.tls().ca()).isEqualTo(pkiDir.resolve("ca.pem"));
        assertThat(config.tls().cert()).isEqualTo(pkiDir.resolve("nodes").resolve("n1.pem"));
        assertThat(config.tls().key()).isEqualTo(pkiDir.resolve("nodes").resolve("n1.key"));
        assertThat(config.tls().crl()).isEqualTo(pkiDir.resolve("crl.pem"));
    }

    @Test
    void pkiDirWithSeveralNodesNeedsNodeAndUsesTheOneNamed() {
        pki.ca().issueNode("n2", List.of(), List.of(), 30);

        assertThatThrownBy(() -> configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--node")
                .hasMessageContaining("n1, n2");
        assertThat(configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--node", "n2")
                        .tls()
                        .cert())
                .isEqualTo(pkiDir.resolve("nodes/n2.pem"));
    }

    @Test
    void closeGraceIsInMillisecondsAndAtMostTwoSeconds() {
        assertThat(configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString())
                        .timeouts()
                        .closeGrace())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(configFrom(Map.of("TLSCHAT_CLOSE_GRACE", "500"), new Properties(), "--pki", pkiDir.toString())
                        .timeouts()
                        .closeGrace())
                .isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() ->
                        configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--close-grace", "5000"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--close-grace");
    }

    @Test
    void passwordAuthWithoutUsersFileIsAUsageError() {
        assertThatThrownBy(
                        () -> configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--auth", "password"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--users");
    }

    @Test
    void passwordAuthWithAUsersFileGivesAPasswordConfig() throws Exception {
        Path users = Files.writeString(tmp.resolve("users.json"), "{}");

        ServerConfig config = configFrom(
                Map.of(),
                new Properties(),
                "--pki",
                pkiDir.toString(),
                "--auth",
                "password",
                "--users",
                users.toString());

        assertThat(config.authentication().mode()).isEqualTo(AuthMode.PASSWORD);
        assertThat(config.authentication().users()).isEqualTo(users);
    }

    @Test
    void aBadListenAddressIsAUsageErrorNamingTheFlag() {
        assertThatThrownBy(() -> configFrom(
                        Map.of(), new Properties(), "--pki", pkiDir.toString(), "--listen", "127.0.0.1:http"))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--listen");
        assertThatThrownBy(() -> configFrom(
                        Map.of("TLSCHAT_LISTEN", "127.0.0.1:70000"), new Properties(), "--pki", pkiDir.toString()))
                .as("from the environment too")
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--listen");
    }

    @Test
    void anUnknownAuthModeAndAMissingPkiDirAreUsageErrors() {
        assertThatThrownBy(() -> configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--auth", "nope"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--auth")
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> configFrom(
                        Map.of(),
                        new Properties(),
                        "--pki",
                        tmp.resolve("missing").toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("does not exist");
    }

    private static Properties file(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void explicitFilesWithoutACrlAreRefusedUnlessNoCrlIsGiven() {
        String[] files = {
            "--ca", pkiDir.resolve("ca.pem").toString(),
            "--cert", pkiDir.resolve("nodes/n1.pem").toString(),
            "--key", pkiDir.resolve("nodes/n1.key").toString()
        };
        assertThatThrownBy(() -> configFrom(Map.of(), new Properties(), files))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("no CRL: give --crl FILE")
                .hasMessageContaining("--no-crl");

        assertThat(configFrom(Map.of("TLSCHAT_NO_CRL", "true"), new Properties(), files)
                        .tls()
                        .crl())
                .as("revocation off, explicitly")
                .isNull();
        assertThat(configFrom(Map.of(), new Properties(), "--pki", pkiDir.toString(), "--no-crl")
                        .tls()
                        .crl())
                .isNull();
        assertThatThrownBy(() -> configFrom(
                        Map.of(), new Properties(), "--pki", pkiDir.toString(), "--no-crl", "--crl", "x.pem"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("contradict");
    }

    private static ServerConfig configFrom(Map<String, String> env, Properties file, String... args) {
        CommandLine commandLine = new CommandLine(new ServerCommand());
        commandLine.setDefaultValueProvider(new SettingsDefaults(env, file));
        commandLine.parseArgs(args);
        ServerCommand command = commandLine.getCommand();
        return command.toConfig();
    }
}
