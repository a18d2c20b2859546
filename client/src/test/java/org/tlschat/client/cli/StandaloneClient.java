package org.tlschat.client.cli;

import picocli.CommandLine;

/** {@code tlschat client} on its own, for tests that run it in a real terminal without the jar. */
public final class StandaloneClient {
    private StandaloneClient() {}

    public static void main(String[] args) {
        System.exit(Cli.configure(new CommandLine(new ClientCommand())).execute(args));
    }
}
