package org.tlschat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.tlschat.client.ChatErrorException;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.protocol.ServerFrame;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The error line of a runtime failure: one line, and whatever the server put in it shown escaped. */
class CliTest {

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final RuntimeException failure;

        Failing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private static String errorLine(RuntimeException failure) {
        StringWriter err = new StringWriter();
        int exit = Cli.configure(new CommandLine(new Failing(failure)))
                .setErr(new PrintWriter(err, true))
                .execute();
        assertThat(exit).isEqualTo(Cli.RUNTIME_ERROR);
        return err.toString();
    }

    @Test
    void anOrdinaryFailureIsPrintedAsItWas() {
        assertThat(errorLine(new IllegalStateException("cannot reach 127.0.0.1:7443:\n  connection refused")))
                .isEqualTo("error: cannot reach 127.0.0.1:7443: connection refused" + System.lineSeparator());
    }

    @Test
    void serverTextInAnErrorLineIsEscaped() {
        ServerFrame.Err err = ServerFrame.Err.of(ErrorCode.BAD_FRAME, "\u001b]0;pwned\u0007\u001b[2J\u202eno\\pe", "1");

        assertThat(errorLine(new ChatErrorException(err)))
                .isEqualTo("error: \\x1b]0;pwned\\x07\\x1b[2J\\u202eno\\\\pe (BAD_FRAME)" + System.lineSeparator());
    }
}
