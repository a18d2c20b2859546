package org.tlschat.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a file looked like when last polled: modification time and size. Polling these works on
 * bind mounts and Docker volumes, where inotify events do not arrive. A missing file has no stamp.
 */
record FileStamp(FileTime modified, long size) {

    /** The file's stamp now, or null when it does not exist or cannot be read. */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }
}
