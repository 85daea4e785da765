package dev.engram.memory.session;

import java.util.List;

/**
 * Told about turns that left the working window, e.g. to promote them to long-term memory. The
 * session store never calls it (memory does not orchestrate); the task that folded the turns does,
 * after {@link SessionStore#fold} reports {@link FoldResult#applied()} — so each folded turn is
 * announced exactly once even when several instances race to fold.
 */
@FunctionalInterface
public interface FoldedTurnsListener {
    void onFolded(String tenant, String sessionId, List<Turn> folded);
}
