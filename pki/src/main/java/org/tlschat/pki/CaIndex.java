package org.tlschat.pki;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** index.json: the trust domain, the last CRL number, and every certificate issued. */
record CaIndex(
        @JsonProperty("trust_domain") String trustDomain,
        @JsonProperty("crl_number") long crlNumber,
        @JsonProperty("entries") List<IndexEntry> entries) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("rfc3339")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    CaIndex {
        entries = List.copyOf(entries);
    }

    static CaIndex empty(String trustDomain) {
        return new CaIndex(trustDomain, 0, List.of());
    }

    static CaIndex read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CaIndex.class);
        } catch (IOException e) {
            throw new PkiException(file + ": unreadable index: " + e.getMessage(), e);
        }
    }

    void write(Path file) {
        try {
            PemFiles.writeAtomically(file, JSON.writeValueAsBytes(this), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the index", e);
        }
    }

    CaIndex with(IndexEntry entry) {
        List<IndexEntry> all = new ArrayList<>(entries);
        all.add(entry);
        return new CaIndex(trustDomain, crlNumber, all);
    }

    CaIndex replacing(IndexEntry old, IndexEntry replacement) {
        List<IndexEntry> all = new ArrayList<>(entries);
        all.set(all.indexOf(old), replacement);
        return new CaIndex(trustDomain, crlNumber, all);
    }

    CaIndex withNextCrlNumber() {
        return new CaIndex(trustDomain, crlNumber + 1, entries);
    }

    /** Instants as RFC 3339 UTC strings, e.g. 2027-11-23T10:15:30Z. */
    private static final class InstantSerializer extends StdSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantDeserializer extends StdDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 UTC time");
            }
        }
    }
}
