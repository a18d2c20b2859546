package org.tlschat.pki;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.time.Instant;

/** One issued certificate as index.json records it; {@code revokedAt} is null while it is valid. */
public record IndexEntry(
        @JsonProperty("serial") String serial,
        @JsonProperty("kind") SpiffeId.Kind kind,
        @JsonProperty("name") String name,
        @JsonProperty("not_after") Instant notAfter,
        @JsonProperty("revoked_at") Instant revokedAt) {

    static IndexEntry of(SpiffeId.Kind kind, String name, IssuedCertificate issued) {
        return new IndexEntry(issued.serial().toString(16), kind, name, issued.notAfter(), null);
    }

    public BigInteger serialNumber() {
        return new BigInteger(serial, 16);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    IndexEntry revokedAt(Instant when) {
        return new IndexEntry(serial, kind, name, notAfter, when);
    }
}
