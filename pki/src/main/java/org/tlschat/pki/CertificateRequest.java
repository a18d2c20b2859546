package org.tlschat.pki;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a leaf certificate says. {@link #node} and {@link #user} build the certificates
 * tlschat issues; the {@code with...} methods derive deliberately wrong ones for tests and audits.
 */
public record CertificateRequest(
        String commonName,
        KeyType keyType,
        Instant notBefore,
        Instant notAfter,
        List<String> uris,
        List<String> dnsNames,
        List<String> ipAddresses,
        Set<KeyPurpose> purposes) {

    /** Certificates start a little in the past so that a peer with a slow clock accepts them. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public CertificateRequest {
        uris = List.copyOf(uris);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        purposes = Set.copyOf(purposes);
    }

    /** A node: serverAuth + clientAuth, DNS/IP SANs as given plus localhost and 127.0.0.1. */
    public static CertificateRequest node(
            String trustDomain, String name, List<String> dns, List<String> ips, KeyType keyType, int days) {
        Set<String> allDns = new LinkedHashSet<>(dns);
        allDns.add("localhost");
        Set<String> allIps = new LinkedHashSet<>(ips);
        allIps.add("127.0.0.1");
        Instant now = now();
        return new CertificateRequest(
                name,
                keyType,
                now.minus(CLOCK_SKEW),
                now.plus(Duration.ofDays(days)),
                List.of(new SpiffeId(trustDomain, SpiffeId.Kind.NODE, name).uri()),
                new ArrayList<>(allDns),
                new ArrayList<>(allIps),
                Set.of(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH));
    }

    /** A user: clientAuth only, the SPIFFE URI as its only SAN. */
    public static CertificateRequest user(String trustDomain, String name, KeyType keyType, int days) {
        Instant now = now();
        return new CertificateRequest(
                name,
                keyType,
                now.minus(CLOCK_SKEW),
                now.plus(Duration.ofDays(days)),
                List.of(new SpiffeId(trustDomain, SpiffeId.Kind.USER, name).uri()),
                List.of(),
                List.of(),
                Set.of(KeyPurpose.CLIENT_AUTH));
    }

    public CertificateRequest withValidity(Instant newNotBefore, Instant newNotAfter) {
        return new CertificateRequest(
                commonName, keyType, newNotBefore, newNotAfter, uris, dnsNames, ipAddresses, purposes);
    }

    public CertificateRequest withPurposes(Set<KeyPurpose> newPurposes) {
        return new CertificateRequest(
                commonName, keyType, notBefore, notAfter, uris, dnsNames, ipAddresses, newPurposes);
    }

    public CertificateRequest withUris(List<String> newUris) {
        return new CertificateRequest(
                commonName, keyType, notBefore, notAfter, newUris, dnsNames, ipAddresses, purposes);
    }

    public CertificateRequest withDnsNames(List<String> newDnsNames) {
        return new CertificateRequest(
                commonName, keyType, notBefore, notAfter, uris, newDnsNames, ipAddresses, purposes);
    }

    public CertificateRequest withIpAddresses(List<String> newIpAddresses) {
        return new CertificateRequest(
                commonName, keyType, notBefore, notAfter, uris, dnsNames, newIpAddresses, purposes);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
