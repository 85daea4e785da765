package dev.engram.functions.memory;

import dev.engram.errors.EngramException;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionId;
import dev.engram.memory.session.SessionKeys;
import dev.engram.memory.session.SessionStore;
import dev.engram.tasks.Requests;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The memory endpoints: {@code POST /session-get} and {@code POST /session-delete}. Every request is
 * in the default tenant until authentication exists.
 */
@ApplicationScoped
public class MemoryFunctions {
    private final SessionStore sessions;

    public MemoryFunctions(SessionStore sessions) {
        this.sessions = sessions;
    }

    /**
     * A session's working memory. Looking does not extend its life: {@code ttlSeconds} is what is left
     * since the last real use.
     */
    @Funq("session-get")
    public SessionView sessionGet(SessionRequest request) {
        String sessionId = SessionId.require(Requests.body(request).sessionId());
        Session session = sessions.peek(SessionKeys.DEFAULT_TENANT, sessionId);
        if (!session.exists()) {
            throw new EngramException(404, "session_not_found",
                    "No session '" + sessionId + "': it never existed, expired or was deleted");
        }
        return SessionView.of(session);
    }

    /** Forgets a session at once. Deleting a session that does not exist is not an error. */
    @Funq("session-delete")
    public SessionDeleted sessionDelete(SessionRequest request) {
        String sessionId = SessionId.require(Requests.body(request).sessionId());
        return new SessionDeleted(sessionId, sessions.delete(SessionKeys.DEFAULT_TENANT, sessionId));
    }
}
