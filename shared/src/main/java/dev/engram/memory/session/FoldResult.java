package dev.engram.memory.session;

/**
 * What a fold did.
 *
 * @param applied whether this call folded the turns; false when another instance folded first (or
 *                the session is gone), in which case the caller drops its summary and, if it still
 *                needs to, starts again from {@link #session()}. The turns an applied fold removed wait
 *                on the session's hand-off list ({@link SessionStore#handoffs}) when it was asked to keep them.
 * @param session the session after the call
 */
public record FoldResult(boolean applied, Session session) {}
