package dev.engram.memory.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.errors.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static Session of(Turn... turns) {
        return new Session("t", "s", List.of(turns), "", 0, 0, 1, 1, 1, 60, 0);
    }

    @Test
    void nothingToFoldWhileTheTurnsFit() {
        Session session = of(Turn.user("q", 10, 0), Turn.assistant("a", 10, 0));
        assertThat(session.turnTokens()).isEqualTo(20);
        assertThat(session.turnsToFold(20)).isZero();
    }

    @Test
    void foldsTheOldestTurnsUntilTheRestFitAndNeverOpensWithAnAnswer() {
        Session session = of(
                Turn.user("q1", 10, 0),
                Turn.assistant("a1", 10, 0),
                Turn.user("q2", 10, 0),
                Turn.assistant("a2", 10, 0));
        assertThat(session.turnsToFold(30)).as("q1 alone would leave a1 first").isEqualTo(2);
        assertThat(session.turnsToFold(20)).isEqualTo(2);
        assertThat(session.turnsToFold(15)).isEqualTo(4);
        assertThat(session.turnsToFold(0)).isEqualTo(4);
    }

    @Test
    void sessionIds() {
        assertThat(SessionId.require("Az09._:-")).isEqualTo("Az09._:-");
        assertThat(SessionId.require("x".repeat(128))).hasSize(128);
        for (String bad : new String[] {"", "x".repeat(129), "a b", "a/b", "a{b}", "a*"}) {
            assertThatThrownBy(() -> SessionId.require(bad))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("A-Z a-z 0-9");
        }
        assertThatThrownBy(() -> SessionId.require(null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("required");
    }

    @Test
    void keysKeepTenantsAndTurnListsApart() {
        SessionKeys keys = SessionKeys.of("default", "abc");
        assertThat(keys.meta()).isEqualTo("engram:default:wm:{default/abc}:meta");
        assertThat(keys.turns()).isEqualTo("engram:default:wm:{default/abc}:turns");
        assertThat(SessionKeys.of("default", "abc:turns").meta()).isNotEqualTo(keys.turns());
        assertThatThrownBy(() -> SessionKeys.of("a:wm", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void turnsCheckTheirRole() {
        assertThatThrownBy(() -> new Turn("system", "x", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Turn("user", "x", -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
