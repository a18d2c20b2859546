package org.tlschat.server.cluster;

import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups protocol stack, built in code so the TLS context can be injected: TCP with TLS
 * (no plaintext port at all: no UDP, no FD_SOCK2, no diagnostics), static or DNS discovery, and
 * failure detection tuned so a dead node leaves everyone's view within about ten seconds.
 */
final class ClusterStack {
    /** Largest message a peer may announce: a garbage length cannot make us allocate more. */
    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /**
     * Room for bursts: a full send queue blocks the sender rather than dropping messages. There
     * is no credit-based flow control (UFC/MFC) on purpose: senders are Netty event loops, and
     * credits owed by a dead peer would stall them until failure detection removes it. TCP and
     * this queue bound what is in flight to each peer instead.
     */
    private static final int BUNDLER_CAPACITY = 131_072;

    private ClusterStack() {}

    static JChannel build(ClusterConfig config, ClusterTls tls) throws Exception {
        TCP tcp = new TCP();
        tcp.setBindAddress(config.listen().getAddress());
        tcp.setBindPort(config.listen().getPort());
        tcp.setPortRange(0);
        if (config.advertise() != null) {
            tcp.setExternalAddr(config.advertise());
        }
        tcp.setSockConnTimeout(2_000);
        tcp.setPeerAddrReadTimeout(2_000);
        tcp.setMaxLength(MAX_MESSAGE_BYTES);
        tcp.setValue("tcp_nodelay", true);
        tcp.setValue("enable_suspect_events", true);
        PerDestinationBundler bundler = new PerDestinationBundler();
        bundler.setCapacity(BUNDLER_CAPACITY);
        bundler.dropWhenFull(false);
        bundler.useSingleSenderThread(false);
        tcp.setBundler(bundler);
        tcp.tls(tls);
        if (tcp.tls().getSSLContext() == null) {
            throw new IllegalStateException("cluster TLS has no SSL context: refusing to start in plaintext");
        }

        return new JChannel(List.of(
                tcp,
                discovery(config),
                new MERGE3().setMinInterval(2_000).setMaxInterval(6_000),
                new FD_ALL3()
                        .setTimeout(ClusterConfig.FAILURE_TIMEOUT.toMillis())
                        .setInterval(2_000),
                new VERIFY_SUSPECT2().setTimeout(1_500),
                new NAKACK2(),
                new UNICAST3(),
                new STABLE(),
                new GMS().setJoinTimeout(2_000).setValue("print_local_addr", false),
                new FRAG4()));
    }

    private static Protocol discovery(ClusterConfig config) {
        if (config.dnsName() != null) {
            return new DNS_PING().setDNSQuery(config.dnsName());
        }
        return new TCPPING().setInitialHosts(config.peers()).setPortRange(0);
    }
}
