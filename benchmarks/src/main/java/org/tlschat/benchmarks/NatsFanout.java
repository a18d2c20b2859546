package org.tlschat.benchmarks;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.tlschat.pki.PemFiles;

/**
 * The NATS side of bench/compare.sh: the tlschat {@code fanout} scenario against nats-server over
 * mutual TLS. One publisher, S subscribers of one subject, B-byte payloads carrying the send time.
 * As fast as accepted = a flush (PING/PONG round trip) every {@code window} messages, the nearest
 * NATS has to tlschat's window of unacknowledged SENDs; or a fixed rate. Prints one JSON object
 * with the keys of {@code tlschat bench --json}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.tlschat.benchmarks.NatsFanout URL PKI_DIR USER
 * SUBSCRIBERS SIZE RATE WINDOW SECONDS}
 */
public final class NatsFanout {
    private static final String SUBJECT = "bench";

    private NatsFanout() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8 && args.length != 9) {
            System.err.println("usage: NatsFanout URL PKI_DIR USER SUBSCRIBERS SIZE RATE WINDOW SECONDS [WARMUP_SECONDS]");
            System.exit(2);
        }
        String url = args[0];
        Path pki = Path.of(args[1]);
        String user = args[2];
        int subscribers = Integer.parseInt(args[3]);
        int size = Integer.parseInt(args[4]);
        int rate = Integer.parseInt(args[5]);
        int window = Integer.parseInt(args[6]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[7]));
        Duration warmup = Duration.ofSeconds(args.length == 9 ? Long.parseLong(args[8]) : 0);

        SSLContext tls = sslContext(pki, user);
        Recorder latency = new Recorder(60_000_000_000L, 3);
        LongAdder delivered = new LongAdder();
        long origin = System.nanoTime();
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            Connection sub = Nats.connect(options(url, tls));
            connections.add(sub);
            Dispatcher dispatcher = sub.createDispatcher(m -> {
                delivered.increment();
                latency.recordValue(Math.max(0, System.nanoTime() - origin - sentAt(m.getData())));
            });
            dispatcher.subscribe(SUBJECT);
            sub.flush(Duration.ofSeconds(10));
        }
        Connection pub = Nats.connect(options(url, tls));
        connections.add(pub);

        byte[] padding = new byte[size];
        Arrays.fill(padding, (byte) 'x');
        if (!warmup.isZero()) {
            long warm = publish(pub, rate, window, warmup, origin, padding);
            drain(delivered, warm * subscribers);
            delivered.reset();
            latency.reset();
        }
        long start = System.nanoTime();
        long published = publish(pub, rate, window, duration, origin, padding);
        long expected = published * subscribers;
        drain(delivered, expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (Connection c : connections) {
            c.close();
        }
        Histogram h = latency.getIntervalHistogram();
        System.out.printf(Locale.ROOT, "{\"scenario\":\"fanout\",\"server\":\"nats\",\"sessions\":%d,\"seconds\":%.3f,"
                        + "\"published\":%d,\"delivered\":%d,\"expected_deliveries\":%d,"
                        + "\"published_per_second\":%.1f,\"delivered_per_second\":%.1f,"
                        + "\"latency_us\":{\"count\":%d,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p99_9\":%.1f,\"max\":%.1f}}%n",
                subscribers + 1, seconds, published, delivered.sum(), expected, published / seconds,
                delivered.sum() / seconds, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    /** Publishes for {@code duration} as fast as flushes allow, or at {@code rate}; returns the count. */
    private static long publish(Connection pub, int rate, int window, Duration duration, long origin, byte[] padding)
            throws Exception {
        long published = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            long sentAt;
            if (rate > 0) {
                long due = start + (long) (published * 1e9 / rate);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                sentAt = due - origin;
            } else {
                sentAt = System.nanoTime() - origin;
            }
            pub.publish(SUBJECT, payload(sentAt, padding));
            published++;
            if (published % window == 0) {
                pub.flush(Duration.ofSeconds(10));
            }
        }
        pub.flush(Duration.ofSeconds(10));
        return published;
    }

    /** Waits (10 s at most) until {@code expected} messages were delivered. */
    private static void drain(LongAdder delivered, long expected) throws InterruptedException {
        long drainEnd = System.nanoTime() + 10_000_000_000L;
        while (delivered.sum() < expected && System.nanoTime() < drainEnd) {
            Thread.sleep(5);
        }
    }

    private static Options options(String url, SSLContext tls) {
        return new Options.Builder().server(url).sslContext(tls).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(10)).build();
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

    /** A user certificate and key from PKI_DIR/users, trusting PKI_DIR/ca.pem (PEM, in memory). */
    private static SSLContext sslContext(Path pki, String user) throws Exception {
        char[] none = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, none);
        keys.setKeyEntry(user, PemFiles.readPrivateKey(pki.resolve("users/" + user + ".key")), none,
                PemFiles.readCertificates(pki.resolve("users/" + user + ".pem")).toArray(new java.security.cert.Certificate[0]));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, none);
        trust.setCertificateEntry("ca", PemFiles.readCertificate(pki.resolve("ca.pem")));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, none);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }
}
