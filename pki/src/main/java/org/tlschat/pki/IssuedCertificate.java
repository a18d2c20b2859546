package org.tlschat.pki;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A freshly issued certificate and its private key; {@link PemFiles} writes them. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
