package org.tlschat.pki;

import static org.tlschat.protocol.Names.USER_RULE;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** A tlschat identity: {@code spiffe://<trust-domain>/(user|node)/<name>}. */
public record SpiffeId(String trustDomain, Kind kind, String name) {
    public static final String SCHEME_PREFIX = "spiffe://";
    private static final int SAN_URI = 6;

    public enum Kind {
        USER,
        NODE;

        /** The path segment and the index.json spelling: "user" or "node". */
        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind fromLabel(String label) {
            for (Kind kind : values()) {
                if (kind.label().equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown kind '" + label + "' (expected user or node)");
        }
    }

    public SpiffeId {
        if (!Names.isValidTrustDomain(trustDomain)) {
            throw new IllegalArgumentException(
                    "invalid trust domain '" + trustDomain + "': " + Names.TRUST_DOMAIN_RULE);
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (!Names.isValid(name)) {
            throw new IllegalArgumentException("invalid name '" + name + "': " + USER_RULE);
        }
    }

    /** Parses {@code spiffe://td/user/alice}; IllegalArgumentException otherwise. */
    public static SpiffeId parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME_PREFIX)) {
            throw new IllegalArgumentException("not a spiffe:// URI: " + uri);
        }
        String[] parts = uri.substring(SCHEME_PREFIX.length()).split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected spiffe://<trust-domain>/(user|node)/<name>, got " + uri);
        }
        return new SpiffeId(parts[0], Kind.fromLabel(parts[1]), parts[2]);
    }

    /**
     * The identity of a certificate: it must carry exactly one {@code spiffe://} URI SAN,
     * of the form {@code spiffe://<td>/(user|node)/<name>}.
     */
    public static SpiffeId of(X509Certificate cert) throws CertificateException {
        List<String> uris = spiffeUris(cert);
        if (uris.size() != 1) {
            throw new CertificateException("certificate must carry exactly one spiffe:// URI SAN, found " + uris.size()
                    + (uris.isEmpty() ? "" : " " + uris));
        }
        try {
            return parse(uris.get(0));
        } catch (IllegalArgumentException e) {
            throw new CertificateException("invalid identity in certificate: " + e.getMessage(), e);
        }
    }

    /** All {@code spiffe://} URI SANs of a certificate, in order. */
    public static List<String> spiffeUris(X509Certificate cert) throws CertificateParsingException {
        List<String> uris = new ArrayList<>();
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        if (names != null) {
            for (List<?> entry : names) {
                if (((Integer) entry.get(0)) == SAN_URI
                        && entry.get(1).toString().regionMatches(true, 0, SCHEME_PREFIX, 0, SCHEME_PREFIX.length())) {
                    uris.add(entry.get(1).toString());
                }
            }
        }
        return uris;
    }

    public String uri() {
        return SCHEME_PREFIX + trustDomain + "/" + kind.label() + "/" + name;
    }

    @Override
    public String toString() {
        return uri();
    }
}
