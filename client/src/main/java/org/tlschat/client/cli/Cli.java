package org.tlschat.client.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * The exit-code contract of every tlschat command: 0 success; 2 and one line
 * {@code error: <message> (see 'tlschat <sub> --help')} for a usage mistake; 1 and one line
 * {@code error: <message>} for a runtime failure (with the stack trace only when TLSCHAT_DEBUG=1). A
 * runtime failure's message may hold text from the network (an ERR message, a BYE reason), so it is
 * shown through {@link SafeText#line}.
 */
public final class Cli {
    public static final int USAGE_ERROR = 2;
    public static final int RUNTIME_ERROR = 1;

    private Cli() {}

    /** Installs the handlers (and case-insensitive enum values) on {@code commandLine}; returns it. */
    public static CommandLine configure(CommandLine commandLine) {
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(usageError())
                .setExecutionExceptionHandler(runtimeError());
    }

    private static IParameterExceptionHandler usageError() {
        return (ParameterException e, String[] args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("error: " + oneLine(e.getMessage()) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            printStackTraceIfDebugging(e, err);
            err.flush();
            return USAGE_ERROR;
        };
    }

    private static IExecutionExceptionHandler runtimeError() {
        return (Exception e, CommandLine failed, CommandLine.ParseResult parseResult) -> {
            PrintWriter err = failed.getErr();
            err.println("error: " + SafeText.line(oneLine(e.getMessage() != null ? e.getMessage() : e.toString())));
            printStackTraceIfDebugging(e, err);
            err.flush();
            return RUNTIME_ERROR;
        };
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void printStackTraceIfDebugging(Exception e, PrintWriter err) {
        if ("1".equals(System.getenv("TLSCHAT_DEBUG"))) {
            e.printStackTrace(err);
        }
    }
}
