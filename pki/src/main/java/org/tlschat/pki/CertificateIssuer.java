package org.tlschat.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs certificates and CRLs with a CA key. It checks nothing about what it is asked to sign:
 * {@link CertificateAuthority} uses it for the real certificates, tests and the security audit
 * use it to forge wrong ones (expired, no EKU, two SPIFFE URIs, a rogue CA...).
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    public CertificateIssuer(X509Certificate caCertificate, PrivateKey caKey) {
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** A CA certificate for {@code trustDomain}: CN "tlschat CA td", URI SAN spiffe://td, pathlen 0. */
    public static IssuedCertificate selfSignedCa(
            String trustDomain, KeyType keyType, Instant notBefore, Instant notAfter) {
        KeyPair keyPair = keyType.generateKeyPair();
        X500Name name = commonName("tlschat CA " + trustDomain);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name, randomSerial(), Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(new GeneralName(
                                    GeneralName.uniformResourceIdentifier, SpiffeId.SCHEME_PREFIX + trustDomain)));
            X509Certificate cert =
                    new JcaX509CertificateConverter().getCertificate(builder.build(signer(keyPair.getPrivate())));
            return new IssuedCertificate(cert, keyPair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Generates a key pair and signs a leaf certificate saying exactly what the request says. */
    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keyPair = request.keyType().generateKeyPair();
        PublicKey publicKey = keyPair.getPublic();
        int keyUsage = request.keyType() == KeyType.RSA
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            caCertificate,
                            randomSerial(),
                            Date.from(request.notBefore()),
                            Date.from(request.notAfter()),
                            commonName(request.commonName()),
                            publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(caCertificate));
            GeneralNames subjectAltNames = subjectAltNames(request);
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            if (!request.purposes().isEmpty()) {
                KeyPurposeId[] ids =
                        request.purposes().stream().sorted().map(KeyPurpose::id).toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ids));
            }
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer(caKey)));
            return new IssuedCertificate(cert, keyPair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + request.commonName(), e);
        }
    }

    /** A CRL listing {@code revoked} (serial → revocation time), with the given CRL number. */
    public X509CRL crl(Map<BigInteger, Instant> revoked, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(caCertificate, Date.from(thisUpdate))
                    .setNextUpdate(Date.from(nextUpdate))
                    .addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
            revoked.forEach((serial, when) -> builder.addCRLEntry(serial, Date.from(when), CRLReason.unspecified));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(caKey)));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot sign the CRL", e);
        }
    }

    private static GeneralNames subjectAltNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.uris().forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X500Name commonName(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(KeyType.of(key).signatureAlgorithm()).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** 128 random bits, positive and non-zero (RFC 5280 allows up to 20 octets). */
    private static BigInteger randomSerial() {
        return new BigInteger(128, RANDOM).setBit(0);
    }
}
