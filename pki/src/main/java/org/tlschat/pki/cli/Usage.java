package org.tlschat.pki.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tlschat.protocol.HostPort;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one way every tlschat command reports a usage mistake: a picocli {@link ParameterException}
 * (exit code 2, one line on stderr) whose message names the flag to fix.
 */
public final class Usage {
    private final CommandSpec spec;

    private Usage(CommandSpec spec) {
        this.spec = spec;
    }

    public static Usage of(CommandSpec spec) {
        return new Usage(spec);
    }

    public ParameterException error(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Fails with "FLAG must be between MIN and MAX, not VALUE" when {@code value} is outside. */
    public void requireRange(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw error(String.format("%s must be between %,d and %,d, not %,d", flag, min, max, value));
        }
    }

    /** {@code HOST[:PORT]}; the message of a bad one starts with the flag. */
    public HostPort address(String flag, String value, int defaultPort) {
        try {
            return HostPort.parse(value, defaultPort);
        } catch (IllegalArgumentException e) {
            throw error(flag + ": " + e.getMessage());
        }
    }

    /** {@code HOST[:PORT]} resolved to an address to bind or dial; a usage error when it does not resolve. */
    public InetSocketAddress socketAddress(String flag, String value, int defaultPort) {
        return resolved(flag, address(flag, value, defaultPort));
    }

    /** The address resolved; a usage error naming the flag when its host does not resolve. */
    public InetSocketAddress resolved(String flag, HostPort address) {
        InetSocketAddress resolved = address.resolve();
        if (resolved.isUnresolved()) {
            throw error(flag + ": cannot resolve '" + address.host() + "'");
        }
        return resolved;
    }

    /** {@code HOST:PORT[,HOST:PORT...]}; the message of a bad one starts with the flag. */
    public List<HostPort> addresses(String flag, String value) {
        try {
            return HostPort.parseList(value);
        } catch (IllegalArgumentException e) {
            throw error(flag + ": " + e.getMessage());
        }
    }

    /** The file, if it is a regular file this process can read. */
    public Path readableFile(String flag, Path file) {
        if (!Files.isRegularFile(file)) {
            throw error(flag + ": no such file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw error(flag + ": cannot read " + file + " (permissions?)");
        }
        return file;
    }
}
