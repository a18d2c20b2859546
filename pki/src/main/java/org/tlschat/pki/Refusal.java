package org.tlschat.pki;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;

/**
 * Why {@link PeerVerifier} refused a peer's certificate. Every exception it throws carries one, so
 * callers on either side of a handshake ask {@link #of(Throwable)} instead of reading messages.
 * The alert the peer receives follows the exception's type and cause ({@link RefusalAlert}), which
 * the refusal does not change: it rides along as a suppressed exception.
 */
public enum Refusal {
    /** The peer presented no certificate. */
    NO_CERTIFICATE(null),
    /** The certificate's validity period has ended ({@code certificate_expired}). */
    EXPIRED(null),
    /** The certificate's validity period has not begun: often a wrong clock. */
    NOT_YET_VALID(null),
    /** The chain does not lead to our CA ({@code unknown_ca} with OpenSSL). */
    UNKNOWN_CA(RefusalAlert.UNKNOWN_CA),
    /** The chain leads to our CA but PKIX path validation fails for another reason. */
    INVALID_PATH(RefusalAlert.BAD_CERTIFICATE),
    /** The certificate is on our CA's CRL ({@code certificate_revoked}). */
    REVOKED(null),
    /** The certificate lacks the extended key usage of its role (clientAuth or serverAuth). */
    WRONG_KEY_USAGE(RefusalAlert.BAD_CERTIFICATE),
    /** The certificate has no usable SPIFFE ID (none, several, or a malformed one). */
    NO_IDENTITY(RefusalAlert.BAD_CERTIFICATE),
    /** The SPIFFE ID is of the wrong kind (a user where a node is expected, or back) or trust domain. */
    WRONG_IDENTITY(RefusalAlert.BAD_CERTIFICATE),
    /** Hostname verification is on but the dialled host is unknown. */
    HOST_UNKNOWN(null),
    /** The server's certificate does not name the dialled host in a DNS or IP SAN. */
    HOSTNAME_MISMATCH(null);

    /** The verify error an OpenSSL engine needs to send the right alert; null when the exception's type says it. */
    private final RefusalAlert alert;

    Refusal(RefusalAlert alert) {
        this.alert = alert;
    }

    /** The refusal behind {@code failure} or one of its causes; empty when PeerVerifier refused nothing. */
    public static Optional<Refusal> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof Mark mark) {
                    return Optional.of(mark.refusal);
                }
            }
        }
        return Optional.empty();
    }

    CertificateException exception(String message) {
        return exception(message, null);
    }

    /**
     * The exception that refuses a peer for this reason: of the type and with the cause from which the
     * JDK and the OpenSSL engine choose the alert they send, and marked with this refusal.
     */
    CertificateException exception(String message, Throwable cause) {
        CertificateException exception = switch (this) {
            case EXPIRED -> withReason(new CertificateExpiredException(message), BasicReason.EXPIRED);
            case NOT_YET_VALID -> withReason(new CertificateNotYetValidException(message), BasicReason.NOT_YET_VALID);
            default -> alert != null ? alert.exception(message, cause) : new CertificateException(message, cause);
        };
        exception.addSuppressed(new Mark(this));
        return exception;
    }

    private static CertificateException withReason(CertificateException exception, BasicReason reason) {
        exception.initCause(new CertPathValidatorException(exception.getMessage(), null, null, -1, reason));
        return exception;
    }

    /**
     * Carries the refusal as a suppressed exception: neither the type nor the cause of a refusal can
     * change without changing the alert (and OpenSslCertificateException is final).
     */
    private static final class Mark extends Throwable {
        private final Refusal refusal;

        Mark(Refusal refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }

        @Override
        public String toString() {
            return "refusal " + refusal;
        }
    }
}
