package org.tlschat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a", "0", "bob.smith", "x_y-z", "abcdefghijklmnopqrstuvwxyz012345"})
    void acceptsUserNames(String name) {
        assertThat(Names.isUser(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "Alice",
                ".alice",
                "-a",
                "_a",
                "al ice",
                "#ops",
                "abcdefghijklmnopqrstuvwxyz0123456",
                "alice\n",
                "élise"
            })
    void refusesUserNames(String name) {
        assertThat(Names.isUser(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#ops", "#a", "#0.x_y-z"})
    void acceptsRoomNames(String name) {
        assertThat(Names.isRoom(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"#", "ops", "##ops", "#Ops", "#.ops", "# ops", "#ops\n"})
    void refusesRoomNames(String name) {
        assertThat(Names.isRoom(name)).isFalse();
    }

    @Test
    void roomNamesMayHave64CharactersAfterTheHash() {
        assertThat(Names.isRoom("#" + "a".repeat(64))).isTrue();
        assertThat(Names.isRoom("#" + "a".repeat(65))).isFalse();
    }

    @Test
    void textLengthCountsCodePoints() {
        assertThat(Names.textLength("héllo")).isEqualTo(5);
        assertThat(Names.textLength("😀😀")).isEqualTo(2);
        assertThat(Names.textLength("")).isZero();
    }
}
