package org.tlschat.pki.cli;

import java.util.Locale;
import org.tlschat.pki.KeyType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --key ec|rsa}, in any case. */
final class KeyTypeConverter implements ITypeConverter<KeyType> {
    @Override
    public KeyType convert(String value) {
        try {
            return KeyType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected ec or rsa, got '" + value + "'");
        }
    }
}
