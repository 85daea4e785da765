package dev.engram.tasks.conversation;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.session.FoldResult;
import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Handoff;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionId;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Working memory as the tasks use it: read the session before the model runs, build the prompt from
 * its summary and the recent turns that fit the window, record the exchange afterwards, and fold the
 * oldest turns into the summary when the window overflows — asking the model for the summary, since
 * memory never calls the model itself. Two Redis round trips per request; a third only when folding.
 */
@ApplicationScoped
public class Conversations {
    private static final Logger LOG = Logger.getLogger(Conversations.class);

    private final SessionStore sessions;
    private final MemoryConfig config;
    private final List<FoldedTurnsListener> foldListeners;

    public Conversations(SessionStore sessions, MemoryConfig config, @All List<FoldedTurnsListener> foldListeners) {
        this.sessions = sessions;
        this.config = config;
        this.foldListeners = foldListeners;
    }

    /**
     * Validates the id and reads the session (one round trip, sliding its TTL); hands on the turns of
     * earlier folds that could not be handed on then.
     */
    @WithSpan("memory.read")
    public Session open(String tenant, String sessionId) {
        Session session = sessions.load(tenant, SessionId.require(sessionId));
        if (session.handoffs() > 0) {
            handOff(tenant, session.sessionId());
        }
        return session;
    }

    /**
     * The prompt for {@code user} in the context of {@code session}: the system prompt with the rolling
     * summary appended, then the most recent turns whose tokens fit the {@link #window}
     * (never starting with an answer whose question was left out), then the new text.
     */
    public Prompt prompt(Session session, String system, String user, LanguageModel model) {
        List<Turn> turns = session.turns();
        int budget = window(model);
        int first = turns.size();
        while (first > 0 && budget - turns.get(first - 1).tokens() >= 0) {
            budget -= turns.get(--first).tokens();
        }
        while (first < turns.size() && Turn.ASSISTANT.equals(turns.get(first).role())) {
            first++;
        }
        List<Prompt.Message> history = new ArrayList<>();
        for (Turn turn : turns.subList(first, turns.size())) {
            history.add(new Prompt.Message(
                    Turn.USER.equals(turn.role()) ? Prompt.Role.USER : Prompt.Role.ASSISTANT, turn.text()));
        }
        return new Prompt(withSummary(system, session.summary()), history, user);
    }

    /**
     * Appends the exchange (one atomic round trip) and, when the turns now exceed the window, folds
     * the oldest into the summary within this request.
     */
    public MemoryReport record(
            Session session, String userText, String assistantText, LanguageModel model, Cancellation cancellation) {
        return record(session, userText, assistantText, model.countTokens(assistantText), model, cancellation);
    }

    /**
     * {@link #record(Session, String, String, LanguageModel, Cancellation)} when the caller knows the answer's token
     * count already (the generation's completion tokens): saves tokenizing the answer again.
     */
    @WithSpan("memory.write") // ArC intercepts the call from the overload above too (subclass interception)
    public MemoryReport record(
            Session session,
            String userText,
            String assistantText,
            int assistantTokens,
            LanguageModel model,
            Cancellation cancellation) {
        long now = System.currentTimeMillis();
        Session after = sessions.append(
                session.tenant(),
                session.sessionId(),
                List.of(
                        Turn.user(userText, model.countTokens(userText), now),
                        Turn.assistant(assistantText, assistantTokens, now)));
        boolean summarized = false;
        int count = after.turnsToFold(window(model));
        String summary = count > 0 ? foldSummary(after, count, model, cancellation) : null;
        if (summary != null) {
            FoldResult fold =
                    sessions.fold(after, count, summary, model.countTokens(summary), !foldListeners.isEmpty());
            if (fold.applied()) {
                summarized = true;
                handOff(session.tenant(), session.sessionId());
            } else {
                LOG.debugf("Another instance folded session %s first", session.sessionId());
            }
            after = fold.session();
        }
        return new MemoryReport(session.sessionId(), after.turns().size(), after.turnTokens(), summarized);
    }

    /**
     * Passes the session's waiting folds to every listener, taking each off the hand-off list once all
     * of them took it. A failure (Redis away) is logged, not thrown: the user's answer does not depend
     * on it, and the fold stays on the list for the session's next use.
     */
    private void handOff(String tenant, String sessionId) {
        try {
            for (Handoff handoff : sessions.handoffs(tenant, sessionId)) {
                foldListeners.forEach(listener -> listener.onFolded(tenant, sessionId, handoff));
                sessions.handedOff(tenant, sessionId, handoff);
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Folded turns of session %s wait to be handed on (tried again on its next use): %s",
                    sessionId, e.getMessage());
        }
    }

    /**
     * The new rolling summary, or null when the request's deadline leaves no time to write it whole:
     * the exchange is already stored, and the fold happens on a later request instead.
     */
    private String foldSummary(Session session, int count, LanguageModel model, Cancellation cancellation) {
        try {
            return summarize(session.summary(), session.turns().subList(0, count), model, cancellation);
        } catch (UnavailableException e) {
            if (!"deadline_exceeded".equals(e.code())) {
                throw e;
            }
            LOG.debugf("No time left to fold session %s; it folds on a later request", session.sessionId());
            return null;
        }
    }

    /**
     * {@code engram.memory.window-tokens}, but never more than half the model's context, so the
     * window, the summary and a new prompt still fit a small model.
     */
    int window(LanguageModel model) {
        return Math.min(config.windowTokens(), model.contextLength() / 2);
    }

    /** The model writes the new rolling summary from the old one and the turns leaving the window. */
    private String summarize(String previous, List<Turn> folded, LanguageModel model, Cancellation cancellation) {
        StringBuilder transcript = new StringBuilder();
        if (!previous.isEmpty()) {
            transcript.append("Summary so far: ").append(previous).append('\n');
        }
        for (Turn turn : folded) {
            transcript.append(turn.role()).append(": ").append(turn.text()).append('\n');
        }
        String instruction = "Summarise this conversation in a few sentences, keeping names, facts and decisions.";
        Prompt prompt = model.hasChatTemplate()
                ? Prompt.of(instruction, transcript.toString())
                : Prompt.of(transcript + instruction + "\nSummary:");
        GenerationRequest request = new GenerationRequest(prompt, null, config.summaryTokens(), null, cancellation);
        GenerationResult result = model.generate(request, t -> {});
        if (result.finishReason() == FinishReason.TIMEOUT) {
            throw new UnavailableException(
                    "deadline_exceeded", "the rolling summary was cut by the deadline", Duration.ofSeconds(1));
        }
        return result.text().strip();
    }

    static String withSummary(String system, String summary) {
        if (summary == null || summary.isBlank()) {
            return system;
        }
        return Prompt.appendToSystem(system, "Summary of the earlier conversation: " + summary);
    }
}
