package org.tlschat.pki;

import io.netty.util.NetUtil;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host matching against subject alternative names only: an IP literal against IP SANs,
 * a name against DNS SANs (exact, case-insensitive; tlschat issues no wildcards, so none match).
 * The subject CN is never used.
 */
final class HostnameMatcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {}

    static void requireMatch(String host, X509Certificate cert) throws CertificateException {
        if (!matches(host, cert)) {
            throw Refusal.HOSTNAME_MISMATCH.exception(
                    "certificate does not match host '" + host + "' (no such DNS or IP SAN)");
        }
    }

    static boolean matches(String host, X509Certificate cert) throws CertificateParsingException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] address = NetUtil.createByteArrayFromIpAddressString(bare);
        String dnsName = stripTrailingDot(bare).toLowerCase(Locale.ROOT);
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = entry.get(1).toString();
            if (address != null
                    && type == SAN_IP
                    && Arrays.equals(address, NetUtil.createByteArrayFromIpAddressString(value))) {
                return true;
            }
            if (address == null
                    && type == SAN_DNS
                    && stripTrailingDot(value).toLowerCase(Locale.ROOT).equals(dnsName)) {
                return true;
            }
        }
        return false;
    }

    private static String stripTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
