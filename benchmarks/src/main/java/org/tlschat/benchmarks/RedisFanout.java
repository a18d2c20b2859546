package org.tlschat.benchmarks;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Redis side of bench/compare.sh: the tlschat {@code fanout} scenario against redis-server pub/sub
 * over mutual TLS (TLS 1.3, OpenSSL like tlschat's bench client, the server's certificate checked against
 * ca.pem and its address). One publisher connection, S subscriber connections on one channel
 * (Lettuce: asynchronous, all on its Netty event loops, no thread per subscriber), B-byte payloads
 * carrying the send time. As fast as accepted = at most {@code window} PUBLISH commands without a
 * reply: Redis answers every PUBLISH with its number of receivers, and that reply is taken as the
 * acknowledgement, like tlschat's OK to a SEND; or a fixed rate. Prints one JSON object with the
 * keys of {@code tlschat bench --json} (see {@link FanoutRun}); PUBLISH errors are counted by code.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.tlschat.benchmarks.RedisFanout rediss://HOST:PORT
 * PKI_DIR USER SUBSCRIBERS SIZE RATE WINDOW SECONDS [WARMUP_SECONDS]}
 */
public final class RedisFanout {
    private static final byte[] CHANNEL = "bench".getBytes(StandardCharsets.US_ASCII);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long FLUSH_EVERY_NANOS = 1_000_000;

    private RedisFanout() {}

    public static void main(String[] args) {
        FanoutRun.main("RedisFanout", "redis", args, RedisFanout::connect);
    }

    private static FanoutRun.Publisher connect(FanoutRun run) throws Exception {
        FanoutRun.Settings settings = run.settings();
        RedisURI uri = RedisURI.create(settings.url());
        if (!uri.isSsl()) {
            throw new IllegalArgumentException("URL must be rediss://HOST:PORT (TLS), not " + settings.url());
        }
        uri.setTimeout(TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder()
                        .openSslProvider()
                        .protocols("TLSv1.3")
                        .keyManager(run.keyManagers())
                        .trustManager(run.trustManagers())
                        .handshakeTimeout(TIMEOUT)
                        .build())
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            RedisPubSubAdapter<byte[], byte[]> listener = new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    run.received(message);
                }
            };
            for (int i = 0; i < settings.subscribers(); i++) {
                StatefulRedisPubSubConnection<byte[], byte[]> sub = client.connectPubSub(ByteArrayCodec.INSTANCE);
                sub.addListener(listener);
                sub.sync().subscribe(CHANNEL); // returns once the server confirmed the subscription
            }
            StatefulRedisConnection<byte[], byte[]> pub = client.connect(ByteArrayCodec.INSTANCE);
            pub.setAutoFlushCommands(false);
            return new WindowedPublisher(client, pub, settings.window());
        } catch (Exception | Error e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * PUBLISH with at most {@code window} commands awaiting their reply, written in batches the way
     * tlschat's bench client flushes its SENDs once per batch of OKs or per 1 ms tick, and jnats
     * buffers until its writer runs: flushed when the window is full or 1 ms after the last flush.
     * (Flushed one by one, the Lettuce client could not publish 20,000 msg/s on this machine.)
     */
    private static final class WindowedPublisher implements FanoutRun.Publisher {
        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;
        private final RedisAsyncCommands<byte[], byte[]> redis;
        private final int window;
        private final Semaphore unanswered;
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private long lastFlush = System.nanoTime();

        WindowedPublisher(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, int window) {
            this.client = client;
            this.connection = connection;
            this.redis = connection.async();
            this.window = window;
            this.unanswered = new Semaphore(window);
        }

        @Override
        public void publish(byte[] payload) throws Exception {
            if (!unanswered.tryAcquire()) {
                flushCommands();
                acquire(1);
            }
            redis.publish(CHANNEL, payload).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    errors.computeIfAbsent(code(failure), c -> new LongAdder()).increment();
                }
                unanswered.release();
            });
            if (System.nanoTime() - lastFlush >= FLUSH_EVERY_NANOS) {
                flushCommands();
            }
        }

        private void flushCommands() {
            connection.flushCommands();
            lastFlush = System.nanoTime();
        }

        @Override
        public void flush() throws Exception {
            flushCommands();
            acquire(window);
            unanswered.release(window);
        }

        @Override
        public Map<String, Long> takeErrors() {
            Map<String, Long> taken = new TreeMap<>();
            errors.forEach((code, count) -> {
                long n = count.sumThenReset();
                if (n > 0) {
                    taken.put(code, n);
                }
            });
            return taken;
        }

        @Override
        public void close() {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }

        private void acquire(int permits) throws InterruptedException, TimeoutException {
            if (!unanswered.tryAcquire(permits, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TimeoutException("no reply to PUBLISH within " + TIMEOUT.toSeconds() + " s");
            }
        }

        /** The Redis error code ("ERR", "NOPERM", ...) of an error reply, else the exception's class. */
        private static String code(Throwable failure) {
            if (failure instanceof RedisCommandExecutionException && failure.getMessage() != null) {
                return failure.getMessage().split(" ", 2)[0];
            }
            return failure.getClass().getSimpleName();
        }
    }
}
