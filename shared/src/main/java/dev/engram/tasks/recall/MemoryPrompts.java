package dev.engram.tasks.recall;

import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.tasks.Requests;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Long-term memory in a prompt ({@code generate} with {@code useMemory: true}): recall the
 * {@code engram.memory.recall-prompt-k} memories most similar to the user's text (whole tenant, any
 * user or session, {@code engram.memory.recall-min-score}), then append them to the system part,
 * best first, as long as their tokens (the model's tokenizer) fit {@code engram.memory.recall-budget-tokens}
 * (capped at a quarter of the model's context)
 * — a memory that does not fit is skipped, a shorter one after it may still go in. Like the session
 * summary, memories go into the system part so chat templates put them before the conversation.
 */
@ApplicationScoped
public class MemoryPrompts {
    static final String HEADER = "Things you remember:";

    private final LongTermMemory memory;
    private final MemoryConfig config;

    public MemoryPrompts(LongTermMemory memory, MemoryConfig config) {
        this.memory = memory;
        this.config = config;
    }

    /**
     * {@code engram.memory.recall-budget-tokens}, but at most a quarter of the model's context, so
     * memories never crowd out the prompt, the session window and the answer on a small model.
     */
    int budget(LanguageModel model) {
        return Math.min(config.recallBudgetTokens(), model.contextLength() / 4);
    }

    /** The recall query is capped at the memory text limit: a long prompt's head carries its topic. */
    @WithSpan("memory.recall")
    public RecalledMemories recall(String tenant, String system, String user, LanguageModel model) {
        String query = user.length() > config.maxTextChars() ? user.substring(0, config.maxTextChars()) : user;
        if (Requests.blank(query)) {
            return new RecalledMemories(system, List.of());
        }
        List<RecallHit> hits = memory.recall(tenant, new RecallQuery(query, config.recallPromptK(), null, null));
        int budget = budget(model) - model.countTokens(HEADER);
        StringBuilder block = new StringBuilder(HEADER);
        List<String> ids = new ArrayList<>();
        for (RecallHit hit : hits) {
            String line = "\n- " + hit.text().strip();
            int tokens = model.countTokens(line);
            if (tokens <= budget) {
                budget -= tokens;
                block.append(line);
                ids.add(hit.id());
            }
        }
        if (ids.isEmpty()) {
            return new RecalledMemories(system, ids);
        }
        return new RecalledMemories(Prompt.appendToSystem(system, block.toString()), ids);
    }
}
