package dev.engram.tasks.recall;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns folded out of working memory become {@code conversation} memories: one memory per exchange
 * (a user turn with the assistant turn after it, as {@code "user: …\nassistant: …"}), since a question
 * and its answer mean most together; a turn without its partner stands alone. Texts over
 * {@code engram.memory.max-text-chars} are cut to it. The memories carry the session id, so
 * {@code forget {sessionId}} removes them too.
 *
 * <p>Failing to store them (Redis away) is logged, not thrown: the fold itself is already applied and
 * the user's answer must not be lost for it.
 */
@ApplicationScoped
public class FoldedTurnsToMemory implements FoldedTurnsListener {
    private static final Logger LOG = Logger.getLogger(FoldedTurnsToMemory.class);

    private final LongTermMemory memory;
    private final MemoryConfig config;

    public FoldedTurnsToMemory(LongTermMemory memory, MemoryConfig config) {
        this.memory = memory;
        this.config = config;
    }

    @Override
    public void onFolded(String tenant, String sessionId, List<Turn> folded) {
        if (!config.storeFoldedTurns()) {
            return;
        }
        List<NewMemory> memories = exchanges(folded, sessionId, config.maxTextChars());
        if (memories.isEmpty()) {
            return;
        }
        try {
            memory.rememberAll(tenant, memories);
        } catch (RuntimeException | LinkageError e) { // LinkageError: the embedding model's native code failed to load
            LOG.warnf("Could not store %d folded exchanges of session %s as long-term memories: %s", memories.size(), sessionId, e.getMessage());
        }
    }

    static List<NewMemory> exchanges(List<Turn> turns, String sessionId, int maxChars) {
        List<NewMemory> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            StringBuilder text = new StringBuilder(turns.get(i).role()).append(": ").append(turns.get(i).text().strip());
            if (Turn.USER.equals(turns.get(i).role()) && i + 1 < turns.size() && Turn.ASSISTANT.equals(turns.get(i + 1).role())) {
                text.append('\n').append(Turn.ASSISTANT).append(": ").append(turns.get(++i).text().strip());
            }
            String t = text.length() > maxChars ? text.substring(0, maxChars) : text.toString();
            if (!t.isBlank()) {
                out.add(new NewMemory(t, List.of(), null, sessionId, MemorySource.conversation));
            }
        }
        return out;
    }
}
