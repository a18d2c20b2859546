package org.tlschat.pki.cli;

import org.tlschat.pki.TlsVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --tls-min 1.3|1.2}: the oldest TLS version a side accepts. */
public final class TlsVersionConverter implements ITypeConverter<TlsVersion> {
    @Override
    public TlsVersion convert(String value) {
        return switch (value.strip()) {
            case "1.3" -> TlsVersion.TLS13;
            case "1.2" -> TlsVersion.TLS12;
            default -> throw new TypeConversionException("expected 1.3 or 1.2, not '" + value + "'");
        };
    }
}
