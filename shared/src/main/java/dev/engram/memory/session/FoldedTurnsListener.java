package dev.engram.memory.session;

/**
 * Told about turns that left the working window, e.g. to promote them to long-term memory. The
 * session store never calls it (memory does not orchestrate); the task that folded the turns does. A
 * fold keeps its turns on the session's hand-off list in the same atomic step that folds them, and they
 * leave that list only after every listener returned: a listener that throws (Redis away) is called
 * again with the same hand-off on the session's next use. So a listener may see a hand-off more than
 * once (also when two requests on one session retry it at the same time) and must treat
 * {@code sessionId + handoff.seq()} as the fold's identity; none is ever missed.
 */
@FunctionalInterface
public interface FoldedTurnsListener {
    void onFolded(String tenant, String sessionId, Handoff handoff);
}
