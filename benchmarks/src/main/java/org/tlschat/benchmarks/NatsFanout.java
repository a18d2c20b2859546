package org.tlschat.benchmarks;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The NATS side of bench/compare.sh: the tlschat {@code fanout} scenario against nats-server over
 * mutual TLS. One publisher, S subscribers of one subject, B-byte payloads carrying the send time.
 * As fast as accepted = a flush (PING/PONG round trip) every {@code window} messages, the nearest
 * NATS has to tlschat's window of unacknowledged SENDs; or a fixed rate. Prints one JSON object
 * with the keys of {@code tlschat bench --json} (see {@link FanoutRun}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.tlschat.benchmarks.NatsFanout URL PKI_DIR USER
 * SUBSCRIBERS SIZE RATE WINDOW SECONDS [WARMUP_SECONDS]}
 */
public final class NatsFanout {
    private static final String SUBJECT = "bench";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private NatsFanout() {}

    public static void main(String[] args) {
        FanoutRun.main("NatsFanout", "nats", args, NatsFanout::connect);
    }

    private static FanoutRun.Publisher connect(FanoutRun run) throws Exception {
        FanoutRun.Settings settings = run.settings();
        SSLContext tls = run.sslContext();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < settings.subscribers(); i++) {
            Connection sub = Nats.connect(options(settings.url(), tls));
            connections.add(sub);
            sub.createDispatcher(m -> run.received(m.getData())).subscribe(SUBJECT);
            sub.flush(TIMEOUT);
        }
        Connection pub = Nats.connect(options(settings.url(), tls));
        connections.add(pub);
        return new FlushingPublisher(pub, settings.window(), connections);
    }

    private static Options options(String url, SSLContext tls) {
        return new Options.Builder()
                .server(url)
                .sslContext(tls)
                .maxReconnects(0)
                .connectionTimeout(TIMEOUT)
                .build();
    }

    /** Publishes and flushes every {@code window} messages. */
    private static final class FlushingPublisher implements FanoutRun.Publisher {
        private final Connection pub;
        private final int window;
        private final List<Connection> connections;
        private long published;

        FlushingPublisher(Connection pub, int window, List<Connection> connections) {
            this.pub = pub;
            this.window = window;
            this.connections = connections;
        }

        @Override
        public void publish(byte[] payload) throws Exception {
            pub.publish(SUBJECT, payload);
            if (++published % window == 0) {
                flush();
            }
        }

        @Override
        public void flush() throws Exception {
            pub.flush(TIMEOUT);
        }

        @Override
        public void close() {
            try {
                for (Connection c : connections) {
                    c.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
