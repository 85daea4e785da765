package dev.engram.memory.session;

import java.util.List;

/**
 * A fold whose turns wait on the session's hand-off list to be passed on (to long-term memory).
 *
 * @param seq    the session's {@link Session#foldedTurns()} before this fold: the position of its first
 *               turn in the whole conversation, so {@code sessionId + seq} names the fold for good
 * @param turns  the folded turns, oldest first
 * @param stored the entry as stored, to take it off the list
 */
public record Handoff(long seq, List<Turn> turns, String stored) {
    public Handoff {
        turns = List.copyOf(turns);
    }
}
