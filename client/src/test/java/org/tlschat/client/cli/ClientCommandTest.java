package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ChatListener;
import org.tlschat.client.ClientOptions;
import org.tlschat.client.testing.Recorder;
import org.tlschat.protocol.ServerFrame;
import org.tlschat.server.ServerConfig.Authentication;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import org.tlschat.server.testing.TestServer;
import picocli.CommandLine;

/** {@code tlschat client} end to end: real server, real TLS, captured stdout/stderr, stdin from a pipe. */
class ClientCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestServer server;
    private final List<ChatClient> clients = new ArrayList<>();

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        server.close();
    }

    private Path pkiDir() {
        return server.pki().ca().layout().dir();
    }

    private String serverFlag() {
        return "127.0.0.1:" + server.address().getPort();
    }

    private Result run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.configure(new CommandLine(new ClientCommand(stdin, false)))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    private String[] asAlice(String... more) {
        List<String> args =
                new ArrayList<>(List.of("--server", serverFlag(), "--pki", pkiDir().toString(), "--user", "alice"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private ChatClient login(String user, ChatListener listener) {
        ChatClient client = ChatClient.connect(
                ClientOptions.builder()
                        .servers(serverFlag())
                        .ca(server.pki().ca().layout().caCert())
                        .certificate(
                                server.pki().user(user).cert(),
                                server.pki().user(user).key())
                        .build(),
                listener);
        clients.add(client);
        return client;
    }

    @Test
    void sendPrintsTheMessageIdAndExitsZero() {
        Recorder bob = new Recorder();
        login("bob", bob);

        Result result = run(asAlice("--send", "bob", "hi bob"));

        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        await().atMost(WAIT).until(() -> bob.messages.size() == 1);
        assertThat(result.out()).isEqualTo(bob.messages.get(0).msg() + System.lineSeparator());
        assertThat(bob.messages.get(0).text()).isEqualTo("hi bob");
    }

    @Test
    void listPrintsOneUserPerLine() {
        login("bob", null);
        login("bob", null);

        Result result = run(asAlice("--list"));

        assertThat(result.exit()).isZero();
        assertThat(result.out().lines()).containsExactly("alice (1 session)", "bob (2 sessions)");
    }

    @Test
    void listOfARoomPrintsItsMembers() {
        ChatClient bob = login("bob", null);
        Commands.await(bob.join("#ops"));

        Result result = run(asAlice("--list", "#ops"));

        assertThat(result.exit()).isZero();
        assertThat(result.out().lines()).containsExactly("bob (1 session)");
    }

    @Test
    void errIsOneLineAndExitOne() {
        Result result = run(asAlice("--send", "mallory", "?"));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .endsWith("(NO_SUCH_USER)");
    }

    @Test
    void missingUserIsAUsageErrorOnOneLine() {
        Result result = run("--server", serverFlag(), "--pki", pkiDir().toString(), "--list");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString().startsWith("error: missing --user");
        if (System.getenv("TLSCHAT_PKI") == null && System.getenv("TLSCHAT_USER") == null) {
            Result nothing = run("--server", serverFlag(), "--list");
            assertThat(nothing.exit()).isEqualTo(2);
            assertThat(nothing.err()).startsWith("error: missing --user: give --pki DIR --user USER");
        }
    }

    @Test
    void usageMistakesExitTwoWithOneLine() throws Exception {
        assertThat(run("--server", "chat:http", "--pki", pkiDir().toString(), "--user", "alice")
                        .err())
                .startsWith("error: --server: 'chat:http' has no valid port");
        List<String[]> mistakes = List.of(
                new String[] {"--server", "chat:http", "--pki", pkiDir().toString(), "--user", "alice", "--list"},
                new String[] {"--ca", dir.resolve("missing.pem").toString(), "--cert", "a.pem", "--key", "a.key"},
                asAlice("--list", "--send", "bob", "hi"),
                new String[] {"--pki", pkiDir().toString(), "--user", "zoe"},
                new String[] {"--cert", "a.pem"});
        for (String[] args : mistakes) {
            Result result = run(args);
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err().lines())
                    .as(String.join(" ", args))
                    .singleElement()
                    .asString()
                    .startsWith("error: ");
        }
    }

    @Test
    void unreachableServerIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Result result = run("--server", "127.0.0.1:" + port, "--pki", pkiDir().toString(), "--user", "alice", "--list");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: cannot reach 127.0.0.1:" + port + ": connection refused" + System.lineSeparator());
    }

    @Test
    void refusedCertificateIsOneLineAndExitOne() {
        server.pki().ca().revoke("alice");
        server.server().trust().reloadCrl();

        Result result = run(asAlice("--list"));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("error: the server refused your certificate: it is revoked" + System.lineSeparator());
    }

    @Test
    void passwordModeWithAPasswordFile() throws Exception {
        server.close();
        Path users = dir.resolve("users.json");
        UserStore store = UserStore.open(users);
        store.put("alice", PasswordHash.hash("s3cret".toCharArray()));
        store.save();
        server = TestServer.start(dir.resolve("pw"), cfg -> cfg.authentication(Authentication.password(users)));
        Path passwordFile = Files.writeString(dir.resolve("pw.txt"), "s3cret\n");
        Path wrongFile = Files.writeString(dir.resolve("wrong.txt"), "guess\n");
        String ca = server.pki().ca().layout().caCert().toString();

        Function<Path, Result> listAsAlice = password -> run(
                "--server",
                serverFlag(),
                "--ca",
                ca,
                "--user",
                "alice",
                "--password-file",
                password.toString(),
                "--list");
        Result ok = listAsAlice.apply(passwordFile);
        Result wrong = listAsAlice.apply(wrongFile);

        assertThat(ok.exit()).isZero();
        assertThat(ok.out().lines()).containsExactly("alice (1 session)");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("error: wrong user or password" + System.lineSeparator());
    }

    @Test
    void scriptModeRunsOneCommandPerLineAndExitsZeroAtEof() {
        Recorder bob = new Recorder();
        ChatClient bobClient = login("bob", bob);
        Commands.await(bobClient.join("#ops"));
        String script =
                String.join("\n", "/join #ops", "deploy at noon", "/msg bob hi bob", "/list #ops", "/part #ops", "");

        Result result = run(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), asAlice());

        assertThat(result.err()).isEmpty();
        assertThat(result.exit()).isZero();
        assertThat(result.out().lines()).contains("alice (1 session)", "bob (1 session)");
        await().atMost(WAIT).until(() -> bob.messages.size() == 2);
        assertThat(bob.messages)
                .extracting(ServerFrame.Msg::to, ServerFrame.Msg::text)
                .containsExactly(Tuple.tuple("#ops", "deploy at noon"), Tuple.tuple("bob", "hi bob"));
    }

    @Test
    void scriptModePrintsIncomingMessages() throws Exception {
        Recorder bob = new Recorder();
        ChatClient bobClient = login("bob", bob);
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> run(stdin, asAlice()));

        typing.write("/join #ops\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> Commands.await(bobClient.list("#ops")).size() == 1);
        Commands.await(bobClient.join("#ops"));
        Commands.await(bobClient.send("#ops", "deploy"));
        Commands.await(bobClient.send("alice", "psst"));
        typing.write("/list #ops\n".getBytes(StandardCharsets.UTF_8));
        typing.close();

        Result result = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(result.exit()).isZero();
        assertThat(result.out().lines())
                .anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* bob joined #ops"))
                .anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] #ops <bob> deploy"))
                .anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] <bob> psst"))
                .contains("alice (1 session)", "bob (1 session)");
    }

    /** A user's message text can neither pass for a line from someone else nor drive alice's terminal. */
    @Test
    void scriptModeShowsHostileTextEscapedAndEveryFurtherLineMarked() throws Exception {
        ChatClient bobClient = login("bob", null);
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> run(stdin, asAlice()));
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> Commands.await(bobClient.list(null)).size() == 2);

        Commands.await(
                bobClient.send("alice", "hi\n[12:00:00] <carol> fake\n\u001b]0;pwned\u0007 \u001b[2J \u202eevil\\x1b"));
        typing.write("/list\n".getBytes(StandardCharsets.UTF_8)); // once its reply is out, so is the message
        typing.close();

        Result result = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(result.exit()).isZero();
        List<String> lines = result.out().lines().toList();
        int first = lines.indexOf(lines.stream()
                .filter(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] <bob> hi"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no message from bob in " + lines)));
        assertThat(lines.subList(first + 1, first + 3))
                .containsExactly("  | [12:00:00] <carol> fake", "  | \\x1b]0;pwned\\x07 \\x1b[2J \\u202eevil\\\\x1b");
        assertThat(result.out()).doesNotContain("\u001b", "\u0007", "\u202e");
        assertThat(lines).noneMatch(line -> line.startsWith("[12:00:00] <carol>"));
    }

    @Test
    void scriptModeStopsAtTheFirstErrWithExitOne() {
        String script = "/msg mallory hello\n/list\n";

        Result result = run(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), asAlice());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines())
                .singleElement()
                .asString()
                .startsWith("error: ")
                .endsWith("(NO_SUCH_USER)");
    }

    @Test
    void plainTextWithoutARoomIsAnError() {
        Result result = run(new ByteArrayInputStream("hello?\n".getBytes(StandardCharsets.UTF_8)), asAlice());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: no current room");
    }
}
