package org.tlschat.client.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs {@link ClientCommand} on its own ({@code java -cp ... org.tlschat.client.cli.ClientMain}),
 * with the exit-code contract of the {@code tlschat} launcher: 0 success; 1 and one line
 * {@code error: <message>} for a runtime failure; 2 and one line {@code error: <message>} for a
 * usage mistake. The tlschat jar registers ClientCommand as its {@code client} subcommand instead.
 */
public final class ClientMain {
    public static final int RUNTIME_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    private ClientMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(new ClientCommand()).execute(args));
    }

    /** A command line for {@code command} with the one-line error handlers installed. */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, args) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println("error: " + oneLine(e.getMessage())
                            + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
                    err.flush();
                    return USAGE_ERROR;
                })
                .setExecutionExceptionHandler((e, failed, parseResult) -> {
                    PrintWriter err = failed.getErr();
                    err.println("error: " + oneLine(e.getMessage() != null ? e.getMessage() : e.toString()));
                    if ("1".equals(System.getenv("TLSCHAT_DEBUG"))) {
                        e.printStackTrace(err);
                    }
                    err.flush();
                    return RUNTIME_ERROR;
                });
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
