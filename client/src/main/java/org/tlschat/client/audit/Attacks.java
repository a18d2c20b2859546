package org.tlschat.client.audit;

import static org.tlschat.client.audit.CertificateAttacks.NO_CERTIFICATE;
import static org.tlschat.client.audit.CertificateAttacks.onClientPort;
import static org.tlschat.client.audit.CertificateAttacks.onClusterPort;
import static org.tlschat.client.audit.HandshakeAttacks.BURST;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every attack of docs/security.md that can be run from outside against a live server, in the
 * order of the table. Each is bounded in connections and time and closes what it opens. The
 * checks live in one class per theme; the wrong certificates they present in {@link Forged}.
 */
final class Attacks {
    private static final String REFUSED = "refused in the TLS handshake";

    private Attacks() {}

    static List<Attack> all() {
        String burst = "burst of " + BURST + " connections";
        return List.of(
                new Attack("no client certificate", REFUSED, onClientPort(NO_CERTIFICATE)),
                new Attack("certificate from a rogue CA", REFUSED, onClientPort(Forged::fromRogueCa)),
                new Attack("self-signed certificate", REFUSED, onClientPort(Forged::selfSigned)),
                new Attack("expired certificate", REFUSED, onClientPort(Forged::expired)),
                new Attack("certificate without clientAuth EKU", REFUSED, onClientPort(Forged::withoutClientAuth)),
                new Attack("node identity presented as a user", REFUSED, onClientPort(Forged::nodeAsUser)),
                new Attack("two SPIFFE URIs in one certificate", REFUSED, onClientPort(Forged::twoSpiffeIds)),
                new Attack("revoked certificate (new connection)", REFUSED + " within 5 s", RevocationAttacks::refused),
                new Attack("revoked while connected", "ERR REVOKED (fatal) within 5 s", RevocationAttacks::ended),
                new Attack(
                        "revoked peer that stops reading",
                        "closed within 5 s + grace, nothing delivered after",
                        RevocationAttacks::stopsReading),
                new Attack("spoofed \"from\" in SEND", "MSG from the sender's own identity", SessionAttacks::spoofed),
                new Attack("TLS 1.2 downgrade", "refused (or allowed by configuration)", HandshakeAttacks::tls12),
                new Attack("TLS 1.1 ClientHello", "no ServerHello", HandshakeAttacks::tls11),
                new Attack("oversize frame", "ERR FRAME_TOO_LARGE (fatal), closed", SessionAttacks::oversize),
                new Attack("10 malformed frames", "ERR TOO_MANY_ERRORS (fatal), closed", SessionAttacks::malformed),
                new Attack("op flood (PINGs at once)", "ERR RATE_LIMITED, connection kept", LimitAttacks::opFlood),
                new Attack("stalled TLS handshake", "dropped within the handshake timeout", HandshakeAttacks::stalled),
                new Attack(
                        "memory under a non-reading flood",
                        "memory +" + (MemoryAttacks.BOUND_BYTES >> 20) + " MiB at most, reading stops, others served",
                        MemoryAttacks::nonReadingFlood),
                new Attack(burst, "a legitimate client is still served", HandshakeAttacks::burst),
                new Attack(
                        LimitAttacks.SILENT + " connections that never start TLS",
                        "past the cap closed at once, the rest within the welcome deadline",
                        LimitAttacks::silentConnections),
                new Attack("cluster port: user certificate", REFUSED, onClusterPort(t -> t.user("cluster-user"))),
                new Attack("cluster port: rogue CA certificate", REFUSED, onClusterPort(Forged::rogueNode)),
                new Attack("cluster port: no certificate", REFUSED, onClusterPort(NO_CERTIFICATE)),
                new Attack("3 wrong passwords", "ERR AUTH_FAILED, fatal on the 3rd", PasswordAttacks::wrongPasswords),
                new Attack("unknown user vs wrong password", "the same ERR message", PasswordAttacks::unknownUser),
                new Attack(
                        "password guessing",
                        "≤ " + PasswordAttacks.MAX_ANSWERED + " wrong answered in " + seconds(PasswordAttacks.STORM)
                                + " from " + PasswordAttacks.GUESSERS + " connections; real login within "
                                + seconds(PasswordAttacks.LOGIN_WITHIN),
                        PasswordAttacks::guessing));
    }

    /** A duration as the checks report it: "4.2 s". */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
