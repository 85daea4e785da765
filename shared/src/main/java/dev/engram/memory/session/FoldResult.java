package dev.engram.memory.session;

import java.util.List;

/**
 * What a fold did.
 *
 * @param applied whether this call folded the turns; false when another instance folded first (or
 *                the session is gone), in which case the caller drops its summary and, if it still
 *                needs to, starts again from {@link #session()}
 * @param folded  the turns this call removed, oldest first (empty when not applied): what a
 *                {@link FoldedTurnsListener} is handed
 * @param session the session after the call
 */
public record FoldResult(boolean applied, List<Turn> folded, Session session) {
    public FoldResult {
        folded = List.copyOf(folded);
    }
}
