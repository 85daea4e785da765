package dev.engram.functions.generate;

import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test hook: records every turn handed over when a session's window is folded. */
@ApplicationScoped
public class RecordingFoldListener implements FoldedTurnsListener {
    private final Map<String, List<Turn>> folded = new ConcurrentHashMap<>();

    @Override
    public void onFolded(String tenant, String sessionId, List<Turn> turns) {
        folded.computeIfAbsent(tenant + "/" + sessionId, k -> new ArrayList<>()).addAll(turns);
    }

    public List<Turn> folded(String sessionId) {
        return List.copyOf(folded.getOrDefault("default/" + sessionId, List.of()));
    }
}
