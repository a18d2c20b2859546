package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ClientOptions;
import org.tlschat.server.testing.TestServer;

/**
 * The interactive client in a real pseudo-terminal: {@code StandaloneClient} runs in a detached tmux
 * session; keys go in with {@code send-keys}, the screen comes out with {@code capture-pane}.
 */
@EnabledIf("tmuxInstalled")
class InteractiveClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TMUX = "/usr/bin/tmux";

    @TempDir
    Path dir;

    private final String socket = "tlschat-test-" + UUID.randomUUID();
    private TestServer server;
    private final List<ChatClient> clients = new ArrayList<>();

    static boolean tmuxInstalled() {
        return Files.isExecutable(Path.of(TMUX));
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        String socketPath = tmux("display-message", "-p", "#{socket_path}").strip();
        tmux("kill-server");
        if (socketPath.endsWith(socket)) {
            Files.deleteIfExists(Path.of(socketPath)); // tmux leaves its socket file behind
        }
        clients.forEach(ChatClient::close);
        server.close();
    }

    @Test
    void aMessageFromAnotherUserAppearsAboveThePromptWithoutBreakingTheTypedLine() throws Exception {
        Path exitFile = dir.resolve("exit-code");
        startClient("alice", exitFile);
        awaitScreen("condition", () -> lastLine().equals("alice>"));

        tmux("send-keys", "-t", "chat", "-l", "half typed");
        awaitScreen("condition", () -> lastLine().equals("alice> half typed"));
        ChatClient bob = login("bob");
        Commands.await(bob.send("alice", "hi alice"));

        awaitScreen(
                "condition",
                () -> screen().lines().anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] <bob> hi alice")));
        assertThat(lastLine()).isEqualTo("alice> half typed");

        // finish the line: it is sent as plain text, with no current room -> an error line, prompt back
        tmux("send-keys", "-t", "chat", "Enter");
        awaitScreen("condition", () -> screen().contains("error: no current room"));

        // join a room: the prompt names it, bob's join and room message show up above it
        tmux("send-keys", "-t", "chat", "-l", "/join #ops");
        tmux("send-keys", "-t", "chat", "Enter");
        awaitScreen("condition", () -> lastLine().equals("#ops>"));
        Commands.await(bob.join("#ops"));
        Commands.await(bob.send("#ops", "deploy"));
        awaitScreen(
                "condition",
                () -> screen().lines().anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] #ops <bob> deploy")));
        assertThat(screen().lines()).anyMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* bob joined #ops"));

        tmux("send-keys", "-t", "chat", "-l", "/quit");
        tmux("send-keys", "-t", "chat", "Enter");
        awaitScreen(
                "condition",
                () -> Files.exists(exitFile) && !Files.readString(exitFile).isBlank());
        assertThat(Files.readString(exitFile).strip()).isEqualTo("0");
    }

    /** In a real terminal: a message can neither clear the screen, set the title, nor fake a line from carol. */
    @Test
    void hostileTextIsShownEscapedAndCannotFakeALineOrDriveTheTerminal() throws Exception {
        Path exitFile = dir.resolve("exit-code");
        startClient("alice", exitFile);
        awaitScreen("condition", () -> lastLine().equals("alice>"));
        String title =
                tmux("display-message", "-p", "-t", "chat", "#{pane_title}").strip();
        ChatClient bob = login("bob");

        Commands.await(
                bob.send("alice", "hi\n[12:00:00] <carol> fake\n\u001b]0;pwned\u0007\u001b[2J\u001b[H\u202eevil"));

        awaitScreen("condition", () -> screen().contains("  | [12:00:00] <carol> fake"));
        List<String> lines = screen().lines().map(String::stripTrailing).toList();
        assertThat(lines).anyMatch(line -> line.startsWith("connected to ")); // the screen was not cleared
        assertThat(lines).noneMatch(line -> line.startsWith("[12:00:00] <carol>"));
        int first = lines.indexOf(lines.stream()
                .filter(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] <bob> hi"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no message from bob on the screen:\n" + String.join("\n", lines))));
        assertThat(lines.subList(first + 1, first + 3))
                .containsExactly("  | [12:00:00] <carol> fake", "  | \\x1b]0;pwned\\x07\\x1b[2J\\x1b[H\\u202eevil");
        assertThat(tmux("display-message", "-p", "-t", "chat", "#{pane_title}").strip())
                .isEqualTo(title)
                .isNotEqualTo("pwned");
    }

    @Test
    void aLostServerPrintsTheReconnectNoticeThenTheGiveUpLineAndExitsOne() throws Exception {
        Path exitFile = dir.resolve("exit-code");
        startClient("alice", exitFile, "--reconnect-for", "1");
        awaitScreen("condition", () -> lastLine().equals("alice>"));

        server.server().close();

        awaitScreen(
                "condition",
                () -> Files.exists(exitFile) && !Files.readString(exitFile).isBlank());
        assertThat(Files.readString(exitFile).strip()).isEqualTo("1");
        String at = "127.0.0.1:" + server.address().getPort();
        assertThat(screen().lines().filter(line -> line.startsWith("* ") || line.startsWith("error: ")))
                .containsExactly(
                        "* connection to " + at + " lost (shutdown); reconnecting...",
                        "error: no server answered for 1 s (cannot reach " + at + ": connection refused)");
    }

    private ChatClient login(String user) {
        ChatClient client = ChatClient.connect(
                ClientOptions.builder()
                        .server("127.0.0.1", server.address().getPort())
                        .ca(server.pki().ca().layout().caCert())
                        .certificate(
                                server.pki().user(user).cert(),
                                server.pki().user(user).key())
                        .build(),
                null);
        clients.add(client);
        return client;
    }

    /** Runs StandaloneClient in a 120x30 tmux pane; the exit code is written to {@code exitFile}, then the pane stays. */
    private void startClient(String user, Path exitFile, String... flags) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = String.join(
                " ",
                quote(java),
                "-cp",
                quote(System.getProperty("java.class.path")),
                "-Dtlschat.test.log=WARN",
                StandaloneClient.class.getName(),
                "--server",
                "127.0.0.1:" + server.address().getPort(),
                "--pki",
                quote(server.pki().ca().layout().dir().toString()),
                "--user",
                user,
                String.join(" ", flags),
                "; echo $? >",
                quote(exitFile.toString()),
                "; sleep 600");
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "chat", "-x", "120", "-y", "30", command);
    }

    /** Waits for {@code condition}; on timeout the failure shows the screen. */
    private void awaitScreen(String what, Callable<Boolean> condition) throws Exception {
        try {
            await().atMost(WAIT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + "; the screen:\n" + screen(), e);
        }
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "chat");
    }

    private String lastLine() throws Exception {
        List<String> lines = screen().lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).stripTrailing(); // tmux drops trailing blanks
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TMUX, "-L", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }
}
