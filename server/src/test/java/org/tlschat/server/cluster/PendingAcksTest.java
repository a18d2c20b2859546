package org.tlschat.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.tlschat.protocol.ErrorCode;
import org.tlschat.server.hub.ChatException;

/** When a message sent to other nodes counts as delivered: only acks and departures settle it. */
class PendingAcksTest {
    private static final Duration DEADLINE = Duration.ofSeconds(12);

    @Test
    void aMessageIsDoneOnlyWhenEveryNodeAckedOrLeftTheView() {
        PendingAcks acks = new PendingAcks(DEADLINE);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long seq = acks.open(List.of("n2", "n3"), done);

        acks.departed(seq, Set.of("n3"));
        assertThat(done).as("n2 has not acked yet").isNotDone();

        acks.acked(seq, "n2");
        assertThat(done).isCompleted();
        assertThat(acks.size()).isZero();
    }

    @Test
    void aNodeLeavingTheViewSettlesWhatItOwed() {
        PendingAcks acks = new PendingAcks(DEADLINE);
        CompletableFuture<Void> done = new CompletableFuture<>();
        acks.open(List.of("n2"), done);

        acks.gone(Set.of("n2"));

        assertThat(done).isCompleted();
    }

    @Test
    void aNodeThatNeitherAcksNorLeavesFailsTheMessageAtTheDeadlineNamingIt() {
        PendingAcks acks = new PendingAcks(Duration.ofMillis(1));
        CompletableFuture<Void> done = new CompletableFuture<>();
        long seq = acks.open(List.of("n2", "n3"), done);
        acks.acked(seq, "n3");

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            acks.expire();
            return done.isDone();
        });

        Throwable failure = catchThrowable(done::join).getCause();
        assertThat(failure)
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("n2")
                .hasMessageNotContaining("n3");
        assertThat(((ChatException) failure).code()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void aDeliveryToNoOtherNodeIsDoneAtOnce() {
        PendingAcks acks = new PendingAcks(DEADLINE);
        CompletableFuture<Void> done = new CompletableFuture<>();

        acks.open(List.of(), done);

        assertThat(done).isCompleted();
    }
}
