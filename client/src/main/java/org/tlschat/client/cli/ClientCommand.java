package org.tlschat.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.tlschat.client.ChatClient;
import org.tlschat.client.ChatListener;
import org.tlschat.client.ClientException;
import org.tlschat.client.ClientOptions;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.TlsVersion;
import org.tlschat.pki.cli.CertificateOptions;
import org.tlschat.pki.cli.PkiOption;
import org.tlschat.pki.cli.Usage;
import org.tlschat.protocol.Names;
import org.tlschat.protocol.ServerFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlschat client}: one-shot ({@code --list}, {@code --send}), script (stdin not a terminal)
 * or interactive (JLine) chat. Usage mistakes throw {@link ParameterException} (exit 2); runtime
 * failures throw {@link ClientException} whose message is the line to print (exit 1).
 */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = {
            "Chat over TLS: list users, send one message, run commands from stdin,",
            "or chat interactively when stdin is a terminal."
        },
        footer = {
            "%nCommands (interactive, or one per line on stdin):",
            "  /list [#room]   /msg USER TEXT   /join #room   /part [#room]   /quit   /help",
            "  plain text goes to the current room (the last one joined)",
            "%nExamples:",
            "  tlschat client --pki demo --user alice",
            "  tlschat client --pki demo --user alice --list",
            "  tlschat client --pki demo --user alice --send bob 'hi bob'",
            "  tlschat client --server chat:7443 --ca ca.pem --user alice --password-file pw.txt",
            "%nExit codes: 0 success, 1 runtime failure (unreachable, refused, ERR), 2 usage error."
        })
public final class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:TLSCHAT_SERVER:-127.0.0.1:7443}",
            description = "servers to try in order (default ${DEFAULT-VALUE}; env TLSCHAT_SERVER)")
    String servers;

    @Mixin
    PkiOption pki;

    @Option(
            names = "--user",
            paramLabel = "USER",
            defaultValue = "${env:TLSCHAT_USER}",
            description = "your user name: with --pki, or with --password-file (env TLSCHAT_USER)")
    String user;

    @Mixin
    CertificateOptions files;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "a file whose first line is your password (password mode)")
    Path passwordFile;

    @Option(names = "--tls12", description = "also allow TLS 1.2 (default: TLS 1.3 only)")
    boolean tls12;

    @Option(
            names = "--reconnect-for",
            paramLabel = "SECONDS",
            defaultValue = "${env:TLSCHAT_RECONNECT_FOR:-60}",
            description =
                    "when the connection is lost, try the servers again for this long (default ${DEFAULT-VALUE}; 0: never; env TLSCHAT_RECONNECT_FOR)")
    int reconnectFor;

    @Option(
            names = "--list",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "ROOM",
            description = "print the users online, or the members of ROOM, and exit")
    String list;

    @Option(
            names = "--send",
            arity = "2",
            paramLabel = "TO TEXT",
            hideParamSyntax = true,
            description = "send TEXT to a user or #room, print the message id, and exit")
    List<String> send;

    private final InputStream stdin;
    private final boolean terminal;

    /** The real thing: interactive when the JVM has a console. */
    public ClientCommand() {
        this(System.in, System.console() != null);
    }

    /** For tests and embedding: {@code stdin} is read as a script unless {@code terminal}. */
    public ClientCommand(InputStream stdin, boolean terminal) {
        this.stdin = stdin;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ClientOptions options = options();
        if (list != null && send != null) {
            throw Usage.of(spec).error("--list and --send cannot be used together");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (list != null) {
            try (ChatClient client = ChatClient.connect(options, ChatListener.NONE)) {
                List<ServerFrame.UserEntry> users = Commands.await(client.list(list.isEmpty() ? null : list));
                users.forEach(entry -> out.println(Formats.user(entry)));
                out.flush();
                Commands.await(client.quit());
            }
            return 0;
        }
        if (send != null) {
            try (ChatClient client = ChatClient.connect(options, ChatListener.NONE)) {
                out.println(SafeText.line(Commands.await(client.send(send.get(0), send.get(1)))));
                out.flush();
                Commands.await(client.quit());
            }
            return 0;
        }
        return terminal ? interactive(options) : script(options, out);
    }

    // ------------------------------------------------------------------ options

    /** Checks the flags and builds the client options; ParameterException (exit 2) for a mistake. */
    ClientOptions options() {
        Usage usage = Usage.of(spec);
        ClientOptions.Builder builder = ClientOptions.builder();
        builder.servers(usage.addresses("--server", servers));
        if (tls12) {
            builder.tlsVersion(TlsVersion.TLS12);
        }
        if (reconnectFor < 0) {
            throw usage.error("--reconnect-for: expected seconds, 0 or more, not " + reconnectFor);
        }
        builder.reconnectFor(Duration.ofSeconds(reconnectFor));
        if (files.namesCertificate() && passwordFile != null) {
            throw usage.error("--cert/--key (mtls) and --password-file (password mode) cannot be used together");
        }
        Optional<PkiLayout> layout = pki.layout();
        if (files.namesCertificate()) {
            if (files.cert() == null || files.key() == null) {
                throw usage.error(files.cert() == null ? "--key needs --cert" : "--cert needs --key");
            }
            builder.certificate(usage.readableFile("--cert", files.cert()), usage.readableFile("--key", files.key()));
        } else if (passwordFile != null) {
            if (user == null) {
                throw usage.error("missing --user (password mode needs --user USER with --password-file)");
            }
            builder.password(user, password(usage.readableFile("--password-file", passwordFile), usage));
        } else if (layout.isPresent()) {
            requireUserCertificate(layout.get(), usage);
            builder.certificate(layout.get().userCert(user), layout.get().userKey(user));
        } else {
            throw usage.error(
                    user == null
                            ? "missing --user: give --pki DIR --user USER, --ca F --cert F --key F, or --ca F --user USER --password-file F"
                            : "--user needs --pki DIR (certificate) or --ca F --password-file F (password mode)");
        }
        if (files.ca() != null) {
            builder.ca(usage.readableFile("--ca", files.ca()));
        } else if (layout.isPresent()) {
            builder.ca(usage.readableFile("--pki", layout.get().caCert()));
        } else {
            throw usage.error("missing --ca FILE (or --pki DIR for DIR/ca.pem)");
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw usage.error(e.getMessage());
        }
    }

    /** Fails unless --user names a user with a certificate and key in --pki DIR. */
    private void requireUserCertificate(PkiLayout layout, Usage usage) {
        if (user == null) {
            throw usage.error("missing --user (--pki DIR needs --user USER to find DIR/users/USER.pem)");
        }
        if (!Names.isUser(user)) {
            throw usage.error("--user '" + user + "': " + Names.USER_RULE);
        }
        if (!Files.isReadable(layout.userCert(user)) || !Files.isReadable(layout.userKey(user))) {
            throw usage.error("no certificate for user '" + user + "' in " + layout.users() + " (expected " + user
                    + ".pem and " + user + ".key; see 'tlschat pki user')");
        }
    }

    private static String password(Path file, Usage usage) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            if (first == null || first.isEmpty()) {
                throw usage.error("--password-file: " + file + " is empty (its first line is the password)");
            }
            return first;
        } catch (IOException e) {
            throw usage.error("--password-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ script mode

    /**
     * One command per line from stdin; incoming messages to stdout, reconnect notices to stderr; 0 at
     * EOF, an ERR ends it with 1. A line read while reconnecting waits for the new connection.
     */
    private int script(ClientOptions options, PrintWriter out) {
        ZoneId zone = ZoneId.systemDefault();
        Consumer<String> print = printer(out);
        EventPrinter events = new EventPrinter(print, printer(spec.commandLine().getErr()), zone);
        try (ChatClient client = events.attach(ChatClient.connect(options, events));
                BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            Commands commands = new Commands(client, print);
            String line;
            while ((line = lines.readLine()) != null) {
                if (!client.isOpen()) {
                    throw closedFailure(client);
                }
                if (!commands.execute(line)) {
                    break;
                }
            }
            Commands.await(client.quit());
            return 0;
        } catch (IOException e) {
            throw new ClientException("cannot read stdin: " + e.getMessage(), e);
        }
    }

    private static Consumer<String> printer(PrintWriter writer) {
        return line -> {
            synchronized (writer) {
                writer.println(line);
                writer.flush();
            }
        };
    }

    /** The line for a session that ended: a BYE reason or ERR code is one word; a failed reconnect says why itself. */
    private static ClientException closedFailure(ChatClient client) {
        String reason = client.closeFuture().getNow("connection lost");
        return new ClientException(
                "connection lost".equals(reason)
                        ? "lost the connection to " + client.server()
                        : reason.matches("\\w+") ? "the server closed the connection (" + reason + ")" : reason);
    }

    // ------------------------------------------------------------------ interactive mode

    /** JLine prompt; events print above it; 0 after /quit or Ctrl-D, 1 when the connection closes. */
    private int interactive(ClientOptions options) {
        ZoneId zone = ZoneId.systemDefault();
        PrintWriter out = spec.commandLine().getOut();
        EventSink sink = new EventSink(out);
        EventPrinter events = new EventPrinter(sink, sink, zone);
        try (ChatClient client = events.attach(ChatClient.connect(options, events));
                Terminal term = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(term)
                    .appName("tlschat")
                    .build();
            Thread readerThread = Thread.currentThread();
            client.closeFuture().thenAccept(reason -> {
                if (!ServerFrame.Bye.QUIT.reason().equals(reason)) {
                    readerThread.interrupt(); // ends readLine with UserInterruptException
                }
            });
            sink.attach(reader);
            Commands commands = new Commands(client, sink);
            sink.accept("connected to " + client.server() + " as " + SafeText.line(client.user()) + " (session "
                    + SafeText.line(client.welcome().session()) + "); /help for commands");
            while (client.isOpen()) {
                String room = commands.currentRoom();
                String line;
                try {
                    line = reader.readLine((room != null ? room : client.user()) + "> ");
                } catch (UserInterruptException e) {
                    if (!client.isOpen()) {
                        break;
                    }
                    line = "/quit"; // Ctrl-C
                } catch (EndOfFileException e) {
                    line = "/quit"; // Ctrl-D
                }
                try {
                    if (!commands.execute(line)) {
                        Commands.await(client.quit());
                        Thread.interrupted();
                        return 0;
                    }
                } catch (ClientException e) {
                    if (!client.isOpen()) {
                        break;
                    }
                    sink.accept("error: " + SafeText.line(e.getMessage()));
                }
            }
            Thread.interrupted();
            Commands.await(client.closeFuture());
            throw closedFailure(client);
        } catch (IOException e) {
            throw new ClientException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** Prints lines above the prompt once a LineReader is attached, to {@code out} before. */
    private static final class EventSink implements Consumer<String> {
        private final PrintWriter out;
        private volatile LineReader reader;

        EventSink(PrintWriter out) {
            this.out = out;
        }

        void attach(LineReader lineReader) {
            reader = lineReader;
        }

        @Override
        public void accept(String line) {
            LineReader r = reader;
            if (r != null) {
                r.printAbove(line);
            } else {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }
        }
    }
}
