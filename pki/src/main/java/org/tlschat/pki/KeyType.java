package org.tlschat.pki;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;

/** The key algorithms the CA issues: ECDSA P-256 (default) or RSA 3072. */
public enum KeyType {
    EC("SHA256withECDSA"),
    RSA("SHA256withRSA");

    private final String signatureAlgorithm;

    KeyType(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The algorithm a key of this type signs certificates and CRLs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generateKeyPair() {
        try {
            if (this == EC) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    public static KeyType of(Key key) {
        return key instanceof ECKey ? EC : RSA;
    }
}
