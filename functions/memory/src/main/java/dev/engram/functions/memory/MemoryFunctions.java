package dev.engram.functions.memory;

import dev.engram.auth.Access;
import dev.engram.erase.ErasedKeys;
import dev.engram.erase.TenantEraser;
import dev.engram.errors.EngramException;
import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Reembedded;
import dev.engram.memory.longterm.Reembedder;
import dev.engram.memory.longterm.Remembered;
import dev.engram.memory.promotion.DeadLetter;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionId;
import dev.engram.memory.session.SessionStore;
import dev.engram.tasks.Requests;
import dev.engram.tasks.extraction.ConversationQueue;
import dev.engram.tenant.Tenant;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.Stream;

/**
 * The memory endpoints: working memory ({@code POST /session-get}, {@code /session-delete}) and
 * long-term memory ({@code /remember}, {@code /recall}, {@code /forget}), each in the caller's tenant;
 * and the operators' {@code /tenant-erase}, {@code /memory-reembed} and {@code /memory-promotion-failed}.
 */
@ApplicationScoped
public class MemoryFunctions {
    private static final int MAX_REEMBED_BATCH = 10_000;

    private final SessionStore sessions;
    private final LongTermMemory memory;
    private final Access access;
    private final TenantEraser eraser;
    private final Reembedder reembedder;
    private final MemoryConfig config;
    private final ConversationQueue conversations;
    private final PromotionQueue promotions;

    public MemoryFunctions(
            SessionStore sessions,
            LongTermMemory memory,
            Access access,
            TenantEraser eraser,
            Reembedder reembedder,
            MemoryConfig config,
            ConversationQueue conversations,
            PromotionQueue promotions) {
        this.conversations = conversations;
        this.promotions = promotions;
        this.sessions = sessions;
        this.memory = memory;
        this.access = access;
        this.eraser = eraser;
        this.reembedder = reembedder;
        this.config = config;
    }

    /**
     * A session's working memory. Looking does not extend its life: {@code ttlSeconds} is what is left
     * since the last real use.
     */
    @Funq("session-get")
    public SessionView sessionGet(SessionRequest request) {
        String tenant = access.admit();
        String sessionId = SessionId.require(Requests.body(request).sessionId());
        Session session = sessions.peek(tenant, sessionId);
        if (!session.exists()) {
            throw new EngramException(
                    404,
                    "session_not_found",
                    "No session '" + sessionId + "': it never existed, expired or was deleted");
        }
        return SessionView.of(session, promotions.pending(tenant, sessionId));
    }

    /** Forgets a session at once. Deleting a session that does not exist is not an error. */
    @Funq("session-delete")
    public SessionDeleted sessionDelete(SessionRequest request) {
        String tenant = access.admit();
        String sessionId = SessionId.require(Requests.body(request).sessionId());
        return new SessionDeleted(sessionId, sessions.delete(tenant, sessionId));
    }

    /**
     * Stores a text as a {@code user} memory (or updates a near-identical one in the same scope); or
     * queues a {@code conversation} for the memory worker, which extracts its memories later with the
     * request's {@code strategy} (else the tenant's).
     */
    @Funq("remember")
    public Remembered remember(RememberRequest request) {
        String tenant = access.admit();
        Requests.body(request);
        if (request.conversation() != null) {
            if (request.text() != null || request.tags() != null) {
                throw new InvalidRequestException(
                        "invalid_remember", "'remember' takes either 'text' (and 'tags') or 'conversation'");
            }
            return Remembered.queued(conversations.enqueue(
                    tenant,
                    request.conversation(),
                    request.sessionId(),
                    request.userId(),
                    request.strategy(),
                    request.instruction()));
        }
        if (request.strategy() != null || request.instruction() != null) {
            throw new InvalidRequestException(
                    "invalid_remember", "'strategy' and 'instruction' go with a 'conversation'");
        }
        return memory.remember(
                tenant,
                new NewMemory(
                        request.text(), request.tags(), request.userId(), request.sessionId(), MemorySource.user));
    }

    /** The memories closest in meaning to {@code query}, best first. */
    @Funq("recall")
    public RecallResponse recall(RecallRequest request) {
        String tenant = access.admit();
        Requests.body(request);
        List<RecallHit> hits = memory.recall(
                tenant, new RecallQuery(request.query(), request.k(), request.filters(), request.minScore()));
        return new RecallResponse(
                hits, memory.model(), request.minScore() == null ? memory.defaultMinScore() : request.minScore());
    }

    /** Removes memories: exactly one of id, sessionId, userId, or all: true (the whole tenant). */
    @Funq("forget")
    public Forgotten forget(ForgetRequest request) {
        String tenant = access.admit();
        Requests.body(request);
        long given = Stream.of(request.id(), request.sessionId(), request.userId(), request.all())
                .filter(v -> v != null)
                .count();
        if (given != 1 || Boolean.FALSE.equals(request.all())) {
            throw new InvalidRequestException(
                    "invalid_forget", "'forget' takes exactly one of 'id', 'sessionId', 'userId' or 'all': true");
        }
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

    /**
     * Operators only: removes every key of a tenant (working memory, long-term memory, batch jobs, rate
     * limits, anything under {@code engram:<tenant>:}) and answers how many per store. Revoke the
     * tenant's keys first, so no request of it writes again during or after the erase.
     */
    @Funq("tenant-erase")
    public TenantErased tenantErase(TenantEraseRequest request) {
        access.requireAdmin();
        String tenant = tenant(Requests.body(request).tenant());
        ErasedKeys erased = eraser.erase(Tenant.of(tenant));
        return new TenantErased(tenant, erased.perStore(), erased.total());
    }

    /**
     * Operators only: after {@code engram.embedding.model} changed, re-embeds a tenant's long-term
     * memories with this function's model, one bounded step per call (a few seconds); call again until
     * {@code done}. Safe to interrupt and to resume, from any instance; recall answers 503 meanwhile.
     */
    @Funq("memory-reembed")
    public Reembedded memoryReembed(ReembedRequest request) {
        access.requireAdmin();
        String tenant = tenant(Requests.body(request).tenant());
        int batch = request.batch() == null ? config.reembedBatch() : request.batch();
        if (batch < 1 || batch > MAX_REEMBED_BATCH) {
            throw new InvalidRequestException(
                    "out_of_range", "'batch' must be between 1 and " + MAX_REEMBED_BATCH + ", got " + batch);
        }
        return reembedder.step(tenant, batch);
    }

    /**
     * Operators only: a tenant's promotions that failed every attempt (oldest first), with their turns
     * and last error: nothing queued is lost, and this is where a failed one is found.
     */
    @Funq("memory-promotion-failed")
    public List<DeadLetter> promotionFailed(DeadLettersRequest request) {
        access.requireAdmin();
        String tenant = tenant(Requests.body(request).tenant());
        int count = request.count() == null ? 100 : request.count();
        if (count < 1 || count > 1000) {
            throw new InvalidRequestException("out_of_range", "'count' must be between 1 and 1000, got " + count);
        }
        return promotions.deadLetters(tenant, count);
    }

    private static String tenant(String tenant) {
        if (tenant == null) {
            throw new InvalidRequestException("missing_field", "'tenant' is required");
        }
        if (!Tenant.valid(tenant)) {
            throw new InvalidRequestException(
                    "invalid_tenant", "'tenant' must be 1 to 64 characters of A-Z a-z 0-9 _ -");
        }
        return tenant;
    }
}
