package org.tlschat.client.bench;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import org.tlschat.pki.PkiLayout;
import org.tlschat.pki.cli.PkiOption;
import org.tlschat.pki.cli.Usage;
import org.tlschat.protocol.HostPort;
import org.tlschat.protocol.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tlschat bench}: load against a live server over mutual TLS, with its own lean client. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a tlschat server (or cluster): messages per second and latency, TLS handshakes",
            "per second, or memory per idle session. Logs in with every user certificate of --pki",
            "round robin. A progress line goes to stderr each second; the result to stdout.",
            "The server must run with --rate-limit 0, or publishers get RATE_LIMITED (reported).",
            "Without --pki (or TLSCHAT_PKI) it uses ./demo, the PKI of 'tlschat demo'."
        },
        footer = {
            "%nScenarios:",
            "  fanout   P publishers and S subscribers in one room (-P, -S, --size, --rate, --window)",
            "  direct   N pairs sending direct messages to each other (--pairs)",
            "  connect  new mTLS connections per second, counted at WELCOME (-C loops in parallel)",
            "  idle     C concurrent silent sessions; with --admin, server memory per session",
            "%nExamples:",
            "  tlschat bench fanout --pki demo -P 1 -S 100 --size 128 --duration 10s",
            "  tlschat bench fanout --pki demo -S 10 --rate 20000 --json",
            "  tlschat bench connect --pki demo -C 16 --duration 10s",
            "  tlschat bench idle --pki demo -C 20000 --admin 127.0.0.1:9090",
            "%nExit codes: 0 success, 1 runtime failure (no session could be opened), 2 usage error."
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "fanout, direct, connect or idle")
    Scenario scenario;

    @Option(
            names = "--server",
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:TLSCHAT_SERVER:-127.0.0.1:7443}",
            description = "server(s); clients are spread over them round robin (default ${DEFAULT-VALUE})")
    String servers;

    /** Without --pki (or TLSCHAT_PKI): the directory {@code tlschat demo} makes. */
    private static final Path DEMO_PKI = Path.of("demo");

    @Mixin
    PkiOption pki;

    @Option(
            names = "--users",
            split = ",",
            paramLabel = "USER[,USER...]",
            description = "only these users of DIR/users (default: all of them)")
    List<String> users = List.of();

    @Option(
            names = {"-P", "--publishers"},
            defaultValue = "1",
            description = "fanout: publishers (default ${DEFAULT-VALUE})")
    int publishers;

    @Option(
            names = {"-S", "--subscribers"},
            defaultValue = "10",
            description = "fanout: subscribers (default ${DEFAULT-VALUE})")
    int subscribers;

    @Option(
            names = "--pairs",
            defaultValue = "10",
            description = "direct: pairs of sessions (default ${DEFAULT-VALUE})")
    int pairs;

    @Option(
            names = {"-C", "--connections"},
            description = "connect: parallel connect loops (default 8); idle: sessions to open (default 1000)")
    Integer connections;

    @Option(
            names = "--size",
            defaultValue = "128",
            paramLabel = "BYTES",
            description = "message text length, at least " + WireLines.MIN_TEXT_BYTES + " (default ${DEFAULT-VALUE})")
    int size;

    @Option(
            names = "--rate",
            defaultValue = "0",
            paramLabel = "MSG/S",
            description = "total messages/s over all publishers; 0 = as fast as the server accepts (default)")
    int rate;

    @Option(
            names = "--window",
            paramLabel = "N",
            description = "unanswered SENDs per publisher (default 64; with --rate 10000, a cap only)")
    Integer window;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "publishing / connecting / holding time, e.g. 500ms, 10s, 2m (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description =
                    "fanout, direct: publish this long first and drop what it measured (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--room", defaultValue = "#bench", description = "fanout: the room (default ${DEFAULT-VALUE})")
    String room;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description = "idle: the server's admin HTTP port, to read its memory gauges")
    String admin;

    @Option(
            names = "--sources",
            defaultValue = "16",
            paramLabel = "N",
            description = "loopback servers: spread connections over source addresses 127.0.0.2..N+1, "
                    + "each with its own ephemeral ports; 0 = let the kernel choose (default ${DEFAULT-VALUE})")
    int sources;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Override
    public Integer call() throws SSLException {
        BenchSettings settings = settings();
        UserCertificates certificates;
        try {
            certificates = UserCertificates.load(pki.layout().orElse(new PkiLayout(DEMO_PKI)), users);
        } catch (IllegalArgumentException e) {
            throw Usage.of(spec).error(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        BenchStats stats = new BenchStats();
        Progress progress = new Progress(stats, err);
        BenchResult result;
        try (BenchNetwork network = new BenchNetwork(settings.servers(), certificates, stats, settings.sources());
                SessionPool pool = new SessionPool(network)) {
            result = switch (settings.scenario()) {
                case FANOUT -> new PublishRun(settings, stats, progress, pool).fanout();
                case DIRECT -> new PublishRun(settings, stats, progress, pool).direct();
                case CONNECT -> new ConnectRun(settings, stats, progress, network).run();
                case IDLE -> new IdleRun(settings, stats, progress, pool).run();
            };
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            BenchReport.json(result, out);
        } else {
            BenchReport.text(result, setup(settings), out);
        }
        out.flush();
        return 0;
    }

    /** Checks the flags; a ParameterException (exit 2) names the one to fix. */
    BenchSettings settings() {
        Usage usage = Usage.of(spec);
        List<HostPort> serverList = usage.addresses("--server", servers);
        InetSocketAddress adminAddress = admin == null
                ? null
                : usage.address("--admin", admin, HostPort.DEFAULT_PORT).resolve();
        int defaultConnections = scenario == Scenario.IDLE ? 1000 : 8;
        int conns = connections != null ? connections : defaultConnections;
        int win = window != null ? window : rate > 0 ? 10_000 : 64;
        usage.requireRange("--publishers", publishers, 1, 10_000);
        usage.requireRange("--subscribers", subscribers, 0, 100_000);
        usage.requireRange("--pairs", pairs, 1, 50_000);
        usage.requireRange("--connections", conns, 1, scenario == Scenario.IDLE ? 1_000_000 : 10_000);
        usage.requireRange("--size", size, WireLines.MIN_TEXT_BYTES, 8_192);
        usage.requireRange("--rate", rate, 0, 10_000_000);
        usage.requireRange("--window", win, 1, 100_000);
        usage.requireRange("--sources", sources, 0, 60_000);
        if (duration.compareTo(Duration.ofMillis(100)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw usage.error("--duration must be between 100ms and 1h, got " + duration);
        }
        if (!Names.isRoom(room)) {
            throw usage.error("--room must look like #name (lowercase letters, digits, . _ -), got " + room);
        }
        if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
            throw usage.error("--warmup must be between 0s and 10m, got " + warmup);
        }
        return new BenchSettings(
                scenario,
                serverList,
                publishers,
                subscribers,
                pairs,
                conns,
                size,
                rate,
                win,
                duration,
                warmup,
                room,
                adminAddress,
                sources);
    }

    private static String setup(BenchSettings s) {
        String pace = s.rate() > 0
                ? String.format("at %,d msg/s", s.rate())
                : "as fast as accepted (window " + s.window() + ")";
        return switch (s.scenario()) {
            case FANOUT ->
                String.format(
                        "fanout: %d publisher(s) -> %d subscriber(s) in %s, %d B texts, %s",
                        s.publishers(), s.subscribers(), s.room(), s.size(), pace);
            case DIRECT -> String.format("direct: %d pair(s), %d B texts, %s", s.pairs(), s.size(), pace);
            case CONNECT -> String.format("connect: %d parallel loops of full mTLS handshakes", s.connections());
            case IDLE -> String.format("idle: %,d silent sessions held %s", s.connections(), s.duration());
        };
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or a plain number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String t = text.strip().toLowerCase();
            try {
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
                }
                if (t.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("not a duration (e.g. 500ms, 10s, 2m): " + text);
            }
        }
    }
}
