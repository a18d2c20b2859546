package org.tlschat.pki;

import static org.tlschat.protocol.Names.USER_RULE;
import static org.tlschat.protocol.Names.isUser;

import java.util.regex.Pattern;

/**
 * The rules for user/node names and trust domains; both appear in SPIFFE IDs, names also in file names.
 * The name rule is the protocol's user name ({@link org.tlschat.protocol.Names#USER}); trust domains are pki's own.
 */
public final class Names {
    public static final Pattern TRUST_DOMAIN_PATTERN = Pattern.compile("^[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?$");
    public static final String TRUST_DOMAIN_RULE =
            "lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit";

    private Names() {}

    public static boolean isValid(String name) {
        return isUser(name);
    }

    /** Returns the name, or throws a {@link PkiException} that states the rule. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new PkiException("invalid name '" + name + "': " + USER_RULE);
        }
        return name;
    }

    public static boolean isValidTrustDomain(String trustDomain) {
        return trustDomain != null && TRUST_DOMAIN_PATTERN.matcher(trustDomain).matches();
    }

    public static String requireValidTrustDomain(String trustDomain) {
        if (!isValidTrustDomain(trustDomain)) {
            throw new PkiException("invalid trust domain '" + trustDomain + "': " + TRUST_DOMAIN_RULE);
        }
        return trustDomain;
    }
}
