package org.tlschat.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** The extended key usages tlschat certificates carry. */
public enum KeyPurpose {
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

    private final KeyPurposeId id;

    KeyPurpose(KeyPurposeId id) {
        this.id = id;
    }

    KeyPurposeId id() {
        return id;
    }

    /** The dotted OID, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} lists it. */
    public String oid() {
        return id.getId();
    }

    /** The name OpenSSL and RFC 5280 use: serverAuth, clientAuth. */
    public String rfcName() {
        return this == SERVER_AUTH ? "serverAuth" : "clientAuth";
    }
}
