package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void theStarredCodesOfTheContractAreAlwaysFatal() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::alwaysFatal))
                .containsExactlyInAnyOrderElementsOf(EnumSet.of(
                        ErrorCode.FRAME_TOO_LARGE,
                        ErrorCode.TOO_MANY_ERRORS,
                        ErrorCode.AUTH_TIMEOUT,
                        ErrorCode.SLOW_CONSUMER,
                        ErrorCode.REVOKED,
                        ErrorCode.IDLE_TIMEOUT));
    }

    @Test
    void authFailedIsLeftToServerPolicy() {
        assertThat(ErrorCode.AUTH_FAILED.alwaysFatal()).isFalse();
    }

    @Test
    void everyCodeOfTheContractExists() {
        assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name))
                .containsExactly(
                        "BAD_FRAME",
                        "UNKNOWN_OP",
                        "FRAME_TOO_LARGE",
                        "TOO_MANY_ERRORS",
                        "NOT_AUTHENTICATED",
                        "AUTH_TIMEOUT",
                        "AUTH_FAILED",
                        "NO_SUCH_USER",
                        "NO_SUCH_ROOM",
                        "NOT_IN_ROOM",
                        "BAD_NAME",
                        "TEXT_TOO_LONG",
                        "RATE_LIMITED",
                        "LIMIT_REACHED",
                        "SLOW_CONSUMER",
                        "REVOKED",
                        "IDLE_TIMEOUT",
                        "BUSY",
                        "INTERNAL");
    }
}
