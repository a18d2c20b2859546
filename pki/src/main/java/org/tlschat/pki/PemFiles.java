package org.tlschat.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads and writes the PEM files of a PKI directory. Writes are atomic (temporary file, then
 * rename) so a reader such as the server watching crl.pem never sees half a file; private keys
 * are created 0600 from the start, everything else 0644.
 */
public final class PemFiles {
    private static final String PRIVATE_FILE = "rw-------";
    private static final String PUBLIC_FILE = "rw-r--r--";

    private PemFiles() {}

    /** The certificates of a PEM file, leaf first; PkiException if there are none. */
    public static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (var cert : certificateFactory().generateCertificates(in)) {
                certs.add((X509Certificate) cert);
            }
            if (certs.isEmpty()) {
                throw new PkiException(file + ": no certificate in this file (expected PEM 'BEGIN CERTIFICATE')");
            }
            return certs;
        } catch (NoSuchFileException e) {
            throw new PkiException(file + ": no such file");
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException(file + ": not a readable PEM certificate: " + e.getMessage(), e);
        }
    }

    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    /** A private key: PKCS#8 ("BEGIN PRIVATE KEY") or traditional EC / RSA PEM; not encrypted. */
    public static PrivateKey readPrivateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new PkiException(file + ": not an unencrypted PEM private key (expected 'BEGIN PRIVATE KEY')");
        } catch (NoSuchFileException e) {
            throw new PkiException(file + ": no such file");
        } catch (IOException e) {
            throw new PkiException(file + ": unreadable private key: " + e.getMessage(), e);
        }
    }

    public static X509CRL readCrl(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) certificateFactory().generateCRL(in);
        } catch (NoSuchFileException e) {
            throw new PkiException(file + ": no such file");
        } catch (IOException | GeneralSecurityException e) {
            throw new PkiException(file + ": not a readable PEM CRL: " + e.getMessage(), e);
        }
    }

    /** Writes one or more certificates (a chain, leaf first). */
    public static void writeCertificates(Path file, X509Certificate... certs) {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate cert : certs) {
                pem.append(pem("CERTIFICATE", cert.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
        write(file, pem.toString(), false);
    }

    /** Writes a PKCS#8 PEM key; the file is 0600 from its creation. */
    public static void writePrivateKey(Path file, PrivateKey key) {
        write(file, pem("PRIVATE KEY", key.getEncoded()), true);
    }

    public static void writeCrl(Path file, X509CRL crl) {
        try {
            write(file, pem("X509 CRL", crl.getEncoded()), false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode CRL", e);
        }
    }

    /** Writes {@code bytes} to {@code file} atomically; a secret file is 0600 from its creation, others 0644. */
    static void writeAtomically(Path file, byte[] bytes, boolean secret) {
        String mode = secret ? PRIVATE_FILE : PUBLIC_FILE;
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path temp = Files.createTempFile(
                    dir,
                    "." + file.getFileName(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            try {
                Files.write(temp, bytes);
                move(temp, file);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new PkiException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text, boolean secret) {
        writeAtomically(file, text.getBytes(StandardCharsets.US_ASCII), secret);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static CertificateFactory certificateFactory() throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509");
    }
}
