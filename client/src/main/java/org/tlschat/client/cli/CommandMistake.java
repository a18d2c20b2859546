package org.tlschat.client.cli;

import org.tlschat.client.ClientException;

/** A line the user typed that is not a valid command, e.g. {@code "usage: /msg USER TEXT"}. */
final class CommandMistake extends ClientException {
    CommandMistake(String message) {
        super(message);
    }
}
