package dev.engram.functions.generate;

import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Handoff;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Test hook: records every fold handed over when a session's window is folded, once per fold, in order. */
@ApplicationScoped
public class RecordingFoldListener implements FoldedTurnsListener {
    private final Map<String, Map<Long, List<Turn>>> folded = new ConcurrentHashMap<>();

    @Override
    public void onFolded(String tenant, String sessionId, Handoff handoff) {
        folded.computeIfAbsent(tenant + "/" + sessionId, k -> new ConcurrentSkipListMap<>())
                .putIfAbsent(handoff.seq(), handoff.turns());
    }

    public List<Turn> folded(String sessionId) {
        return folded.getOrDefault("default/" + sessionId, Map.of()).values().stream()
                .flatMap(List::stream)
                .toList();
    }
}
