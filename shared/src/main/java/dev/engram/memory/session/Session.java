package dev.engram.memory.session;

import java.util.List;

/**
 * A snapshot of one session's working memory, as one Lua script read it (so the parts agree).
 *
 * @param tenant         whose session it is
 * @param sessionId      the client's id for it
 * @param turns          the turns kept verbatim, oldest first
 * @param summary        the rolling summary of every turn folded so far ("" before the first fold)
 * @param summaryTokens  the summary's length in tokens, as the caller counted it
 * @param foldedTurns    how many turns have been folded into the summary over the session's life:
 *                       the position of {@code turns.get(0)} in the whole conversation. A fold names
 *                       the value it saw, which is how two instances never fold the same turns twice.
 * @param version        bumped by every write; 0 means the session does not exist
 * @param createdAt      epoch ms of the first append (0 if absent)
 * @param updatedAt      epoch ms of the last write (0 if absent)
 * @param ttlSecondsLeft seconds until Redis drops the session (rounded up; 0 if absent)
 * @param handoffs       folds whose turns are not yet handed on to long-term memory (a hand-off that
 *                       failed, e.g. Redis away; the next use of the session tries again)
 */
public record Session(
        String tenant,
        String sessionId,
        List<Turn> turns,
        String summary,
        int summaryTokens,
        long foldedTurns,
        long version,
        long createdAt,
        long updatedAt,
        long ttlSecondsLeft,
        int handoffs) {

    public Session {
        turns = List.copyOf(turns);
        summary = summary == null ? "" : summary;
    }

    /** What {@code load} returns for a session that never existed, expired or was deleted. */
    public static Session absent(String tenant, String sessionId) {
        return new Session(tenant, sessionId, List.of(), "", 0, 0, 0, 0, 0, 0, 0);
    }

    public boolean exists() {
        return version > 0;
    }

    /** Tokens of the turns kept verbatim (the summary not included). */
    public int turnTokens() {
        int sum = 0;
        for (Turn turn : turns) {
            sum += turn.tokens();
        }
        return sum;
    }

    /**
     * How many of the oldest turns to fold so that the rest fit in {@code windowTokens}: 0 when they
     * already fit. The count is stretched past any assistant turn, so the kept window never opens with
     * an answer whose question went into the summary.
     */
    public int turnsToFold(int windowTokens) {
        int excess = turnTokens() - windowTokens;
        int count = 0;
        while (excess > 0 && count < turns.size()) {
            excess -= turns.get(count++).tokens();
        }
        while (count > 0
                && count < turns.size()
                && Turn.ASSISTANT.equals(turns.get(count).role())) {
            count++;
        }
        return count;
    }
}
