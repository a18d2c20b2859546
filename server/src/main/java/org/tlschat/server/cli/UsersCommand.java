package org.tlschat.server.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.tlschat.pki.cli.Usage;
import org.tlschat.protocol.Names;
import org.tlschat.server.auth.PasswordHash;
import org.tlschat.server.auth.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlschat users add}: the password file for {@code --auth password}. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = "Manage the password file used by 'tlschat server --auth password'.",
        subcommands = UsersCommand.Add.class)
public final class UsersCommand {
    /** Passwords shorter than this are refused: they fall to a dictionary in seconds. */
    static final int MIN_PASSWORD_CHARS = 8;

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a user, or set a new password for an existing one. The password is "
                    + "stored only as an Argon2id hash.",
            footer = {
                "",
                "Examples:",
                "  tlschat users add --file users.json --name alice",
                "  tlschat users add --file users.json --name bob --password-file bob.txt"
            })
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--file",
                required = true,
                paramLabel = "FILE",
                description = "The users file (created if missing).")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "USER", description = "User name.")
        String name;

        @Option(
                names = "--password-file",
                paramLabel = "FILE",
                description = "Read the password from the first line of FILE instead of prompting.")
        Path passwordFile;

        @Override
        public Integer call() throws IOException {
            if (!Names.isUser(name)) {
                throw usage("bad user name '" + name + "': " + Names.USER_RULE);
            }
            char[] password = passwordFile != null ? readPasswordFile() : prompt();
            try {
                if (password.length < MIN_PASSWORD_CHARS) {
                    throw usage("the password must have at least " + MIN_PASSWORD_CHARS + " characters");
                }
                UserStore store;
                try {
                    store = UserStore.open(file);
                } catch (IOException e) {
                    throw usage("cannot read users file " + file + ": " + e.getMessage());
                }
                store.put(name, PasswordHash.hash(password));
                store.save();
                spec.commandLine().getOut().println("wrote " + file + " (user " + name + ")");
                return 0;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private char[] readPasswordFile() {
            try {
                String first = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream()
                        .findFirst()
                        .orElse("");
                return first.toCharArray();
            } catch (IOException e) {
                throw usage("cannot read password file " + passwordFile + ": " + e.getMessage());
            }
        }

        private char[] prompt() {
            Console console = System.console();
            if (console == null) {
                throw usage("no terminal to ask for the password: use --password-file FILE");
            }
            char[] first = console.readPassword("password for %s: ", name);
            char[] again = console.readPassword("again: ");
            if (first == null || !Arrays.equals(first, again)) {
                throw usage("the two passwords differ");
            }
            return first;
        }

        private ParameterException usage(String message) {
            return Usage.of(spec).error(message);
        }
    }
}
