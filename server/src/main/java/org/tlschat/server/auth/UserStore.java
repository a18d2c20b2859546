package org.tlschat.server.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The password-mode user file: {@code {"alice": "$argon2id$..."}}, one Argon2id hash per user. */
public final class UserStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Map<String, String> hashes;

    private UserStore(Path file, Map<String, String> hashes) {
        this.file = file;
        this.hashes = hashes;
    }

    /** Reads the file; a missing file is an empty store (so {@code users add} can create it). */
    public static UserStore open(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new UserStore(file, new TreeMap<>());
        }
        Map<String, String> hashes = JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {});
        return new UserStore(file, hashes);
    }

    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    public void put(String user, String hash) {
        hashes.put(user, hash);
    }

    /** Writes atomically, readable by the owner only. */
    public void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(
                dir,
                ".users",
                ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        JSON.writeValue(tmp.toFile(), hashes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
