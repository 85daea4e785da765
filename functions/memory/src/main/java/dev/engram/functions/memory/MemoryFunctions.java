package dev.engram.functions.memory;

import dev.engram.errors.EngramException;
import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Remembered;
import java.util.stream.Stream;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionId;
import dev.engram.memory.session.SessionKeys;
import dev.engram.memory.session.SessionStore;
import dev.engram.tasks.Requests;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The memory endpoints: working memory ({@code POST /session-get}, {@code /session-delete}) and
 * long-term memory ({@code /remember}, {@code /recall}, {@code /forget}). Every request is in the
 * default tenant until authentication exists.
 */
@ApplicationScoped
public class MemoryFunctions {
    private final SessionStore sessions;
    private final LongTermMemory memory;

    public MemoryFunctions(SessionStore sessions, LongTermMemory memory) {
        this.sessions = sessions;
        this.memory = memory;
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

    /** Stores a text as a {@code user} memory (or updates a near-identical one in the same scope). */
    @Funq("remember")
    public Remembered remember(RememberRequest request) {
        Requests.body(request);
        return memory.remember(SessionKeys.DEFAULT_TENANT,
                new NewMemory(request.text(), request.tags(), request.userId(), request.sessionId(), MemorySource.user));
    }

    /** The memories closest in meaning to {@code query}, best first. */
    @Funq("recall")
    public RecallResponse recall(RecallRequest request) {
        Requests.body(request);
        return new RecallResponse(memory.recall(SessionKeys.DEFAULT_TENANT,
                new RecallQuery(request.query(), request.k(), request.filters(), request.minScore())));
    }

    /** Removes memories: exactly one of id, sessionId, userId, or all: true (the whole tenant). */
    @Funq("forget")
    public Forgotten forget(ForgetRequest request) {
        Requests.body(request);
        long given = Stream.of(request.id(), request.sessionId(), request.userId(), request.all()).filter(v -> v != null).count();
        if (given != 1 || Boolean.FALSE.equals(request.all())) {
            throw new InvalidRequestException("invalid_forget",
                    "'forget' takes exactly one of 'id', 'sessionId', 'userId' or 'all': true");
        }
        String tenant = SessionKeys.DEFAULT_TENANT;
        if (request.id() != null) {
            return new Forgotten(memory.forgetId(tenant, request.id()));
        }
        if (request.sessionId() != null) {
            return new Forgotten(memory.forgetSession(tenant, request.sessionId()));
        }
        if (request.userId() != null) {
            return new Forgotten(memory.forgetUser(tenant, request.userId()));
        }
        return new Forgotten(memory.forgetAll(tenant));
    }
}
