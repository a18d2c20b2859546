package org.tlschat.client.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.tlschat.protocol.HostPort;

/**
 * One bench run's parameters, checked by {@link BenchCommand}.
 *
 * @param servers      clients are spread over these round robin
 * @param publishers   fanout: publishing sessions
 * @param subscribers  fanout: receiving sessions
 * @param pairs        direct: pairs of sessions sending to each other
 * @param connections  connect: concurrent connectors; idle: sessions to open
 * @param size         message text length in bytes (a send timestamp padded to this length)
 * @param rate         total messages/s over all publishers; 0 = as fast as the server accepts
 * @param window       unacknowledged SENDs each publisher may have in flight
 * @param duration     how long publishing, connecting or holding idle sessions lasts
 * @param warmup       fanout, direct: publishing before the measured run, whose counts, latencies
 *                     and schedule are then dropped (JIT, TLS and pools warmed up; 0 = none)
 * @param room         fanout: the room
 * @param admin        idle: the server's admin HTTP address, or null
 * @param sources      loopback source addresses 127.0.0.2.. to spread connections over (0 = none)
 */
public record BenchSettings(
        Scenario scenario,
        List<HostPort> servers,
        int publishers,
        int subscribers,
        int pairs,
        int connections,
        int size,
        int rate,
        int window,
        Duration duration,
        Duration warmup,
        String room,
        InetSocketAddress admin,
        int sources) {

    /** Time for a connection to reach WELCOME, or for replies to drain after the run. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    public BenchSettings {
        servers = List.copyOf(servers);
    }
}
