package org.tlschat.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.tlschat.pki.PemFiles;
import org.tlschat.pki.PkiLayout;

/**
 * What {@link NatsFanout} and {@link RedisFanout} share: the arguments, the client's TLS material,
 * payloads carrying their send time, the subscribers' delivery count and latency histogram, the
 * warm-up-then-measure loop, and the one JSON object with the keys of {@code tlschat bench --json}.
 *
 * <p>Arguments: {@code URL PKI_DIR USER SUBSCRIBERS SIZE RATE WINDOW SECONDS [WARMUP_SECONDS]};
 * RATE 0 = as fast as the server accepts (WINDOW: how, see each broker).
 */
final class FanoutRun {
    private static final Duration DRAIN = Duration.ofSeconds(10);

    /** One publisher connected to the broker, the subscribers behind it. */
    interface Publisher extends AutoCloseable {
        /** Publishes one message; may wait for the server's answers to earlier ones (the window). */
        void publish(byte[] payload) throws Exception;

        /** Returns once the server has answered every message published so far. */
        void flush() throws Exception;

        /** Messages the server refused since the last call, by error code; none unless overridden. */
        default Map<String, Long> takeErrors() {
            return Map.of();
        }

        /** Closes the publisher's and the subscribers' connections. */
        @Override
        void close();
    }

    /** Connects the subscribers (each handing every message to {@link #received}) and the publisher. */
    interface Broker {
        Publisher connect(FanoutRun run) throws Exception;
    }

    record Settings(
            String url,
            Path pki,
            String user,
            int subscribers,
            int size,
            int rate,
            int window,
            Duration duration,
            Duration warmup) {}

    private final Settings settings;
    private final Recorder latency = new Recorder(60_000_000_000L, 3);
    private final LongAdder delivered = new LongAdder();
    private final long origin = System.nanoTime();

    private FanoutRun(Settings settings) {
        this.settings = settings;
    }

    /**
     * The whole run for a main method: parse, connect, warm up, measure, print the JSON to stdout;
     * a wrong argument count exits 2 with the usage, any failure exits 1 with one line on stderr.
     */
    static void main(String tool, String server, String[] args, Broker broker) {
        if (args.length != 8 && args.length != 9) {
            System.err.println(
                    "usage: " + tool + " URL PKI_DIR USER SUBSCRIBERS SIZE RATE WINDOW SECONDS [WARMUP_SECONDS]");
            System.exit(2);
        }
        try {
            Settings settings = new Settings(
                    args[0],
                    Path.of(args[1]),
                    args[2],
                    Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]),
                    Duration.ofSeconds(Long.parseLong(args[7])),
                    Duration.ofSeconds(args.length == 9 ? Long.parseLong(args[8]) : 0));
            if (settings.subscribers() < 1 || settings.size() < 1 || settings.rate() < 0 || settings.window() < 1) {
                throw new IllegalArgumentException("SUBSCRIBERS, SIZE and WINDOW must be >= 1, RATE >= 0");
            }
            FanoutRun run = new FanoutRun(settings);
            String json;
            try (Publisher publisher = broker.connect(run)) {
                json = run.measure(publisher, server);
            }
            System.out.println(json);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println(tool + ": error: " + e + (root == e ? "" : " (" + root + ")"));
            System.exit(1);
        }
    }

    Settings settings() {
        return settings;
    }

    /** A subscriber received {@code data}: count it and record now minus the send time it carries. */
    void received(byte[] data) {
        delivered.increment();
        latency.recordValue(Math.max(0, System.nanoTime() - origin - sentAt(data)));
    }

    private String measure(Publisher publisher, String server) throws Exception {
        byte[] padding = new byte[settings.size()];
        Arrays.fill(padding, (byte) 'x');
        if (!settings.warmup().isZero()) {
            long warm = publish(publisher, settings.warmup(), padding);
            publisher.takeErrors();
            drain(warm * settings.subscribers());
            delivered.reset();
            latency.reset();
        }
        long start = System.nanoTime();
        long sent = publish(publisher, settings.duration(), padding);
        Map<String, Long> errors = publisher.takeErrors();
        long published =
                sent - errors.values().stream().mapToLong(Long::longValue).sum();
        long expected = published * settings.subscribers();
        drain(expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram h = latency.getIntervalHistogram();
        Map<String, Object> latencyUs = new LinkedHashMap<>();
        latencyUs.put("count", h.getTotalCount());
        latencyUs.put("p50", h.getValueAtPercentile(50) / 1e3);
        latencyUs.put("p90", h.getValueAtPercentile(90) / 1e3);
        latencyUs.put("p99", h.getValueAtPercentile(99) / 1e3);
        latencyUs.put("p99_9", h.getValueAtPercentile(99.9) / 1e3);
        latencyUs.put("max", h.getMaxValue() / 1e3);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "fanout");
        result.put("server", server);
        result.put("sessions", settings.subscribers() + 1);
        result.put("seconds", seconds);
        result.put("published", published);
        result.put("delivered", delivered.sum());
        result.put("expected_deliveries", expected);
        result.put("published_per_second", published / seconds);
        result.put("delivered_per_second", delivered.sum() / seconds);
        result.put("latency_us", latencyUs);
        result.put("errors", errors);
        return new ObjectMapper().writeValueAsString(result);
    }

    /**
     * Publishes for {@code duration} as fast as the publisher's window allows, or at the fixed rate
     * (a message stamped with the time it was due, so a stalled sender shows up as latency); then
     * waits for the server's answers. Returns how many messages were published.
     */
    private long publish(Publisher publisher, Duration duration, byte[] padding) throws Exception {
        long published = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            long sentAt;
            if (settings.rate() > 0) {
                long due = start + (long) (published * 1e9 / settings.rate());
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                sentAt = due - origin;
            } else {
                sentAt = System.nanoTime() - origin;
            }
            publisher.publish(payload(sentAt, padding));
            published++;
        }
        publisher.flush();
        return published;
    }

    /** Waits (10 s at most) until {@code expected} messages were delivered. */
    private void drain(long expected) throws InterruptedException {
        long drainEnd = System.nanoTime() + DRAIN.toNanos();
        while (delivered.sum() < expected && System.nanoTime() < drainEnd) {
            Thread.sleep(5);
        }
    }

    private static byte[] payload(long sentAt, byte[] padding) {
        byte[] digits = Long.toString(sentAt).getBytes(StandardCharsets.US_ASCII);
        byte[] data = padding.clone();
        System.arraycopy(digits, 0, data, 0, Math.min(digits.length, data.length));
        return data;
    }

    private static long sentAt(byte[] data) {
        long value = 0;
        for (byte b : data) {
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /** The user's certificate and key from PKI_DIR/users (PEM, in memory). */
    KeyManagerFactory keyManagers() throws Exception {
        char[] none = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, none);
        PkiLayout pki = new PkiLayout(settings.pki());
        keys.setKeyEntry(
                settings.user(),
                PemFiles.readPrivateKey(pki.userKey(settings.user())),
                none,
                PemFiles.readCertificates(pki.userCert(settings.user())).toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, none);
        return kmf;
    }

    /** Trusts PKI_DIR/ca.pem only. */
    TrustManagerFactory trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, new char[0]);
        trust.setCertificateEntry("ca", PemFiles.readCertificate(new PkiLayout(settings.pki()).caCert()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    /** {@link #keyManagers()} and {@link #trustManagers()} as a TLS 1.3 context of the JDK. */
    SSLContext sslContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers().getKeyManagers(), trustManagers().getTrustManagers(), new SecureRandom());
        return context;
    }
}
