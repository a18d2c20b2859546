package org.tlschat.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A refusal is found through the causes a TLS stack wraps it in, and keeps the type its alert depends on. */
class RefusalTest {
    @ParameterizedTest
    @EnumSource(Refusal.class)
    void everyRefusalIsReadBackThroughItsWrapper(Refusal refusal) {
        SSLHandshakeException handshake = new SSLHandshakeException("handshake failed");
        handshake.initCause(refusal.exception("refused"));

        assertThat(Refusal.of(handshake)).contains(refusal);
        assertThat(handshake.getCause())
                .isInstanceOf(CertificateException.class)
                .hasMessage("refused");
    }

    @Test
    void otherFailuresAreNoRefusal() {
        assertThat(Refusal.of(new CertificateException("from elsewhere"))).isEmpty();
        assertThat(Refusal.of(null)).isEmpty();
    }

    @Test
    void expiryAndRevocationKeepTheTypesAndReasonsTheTlsStacksReadTheAlertFrom() {
        assertThat(Refusal.EXPIRED.exception("old"))
                .isInstanceOf(CertificateExpiredException.class)
                .cause()
                .isInstanceOfSatisfying(
                        CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(BasicReason.EXPIRED));
        assertThat(Refusal.NOT_YET_VALID.exception("young"))
                .isInstanceOf(CertificateNotYetValidException.class)
                .cause()
                .isInstanceOfSatisfying(
                        CertPathValidatorException.class,
                        e -> assertThat(e.getReason()).isEqualTo(BasicReason.NOT_YET_VALID));
        CertPathValidatorException revoked =
                new CertPathValidatorException("revoked", null, null, -1, BasicReason.REVOKED);
        assertThat(Refusal.REVOKED.exception("revoked", revoked)).hasCause(revoked);
    }
}
