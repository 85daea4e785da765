package dev.engram.inference;

import java.util.Map;

/**
 * Whether a loaded engine can serve now, with what the readiness probe shows about it. An in-process
 * engine is ready once loaded; a remote one only while its server answers.
 *
 * @param up whether requests can be served
 * @param details shown in the readiness response (name → string, number or boolean)
 */
public record EngineReadiness(boolean up, Map<String, Object> details) {
    public static final EngineReadiness LOADED = new EngineReadiness(true, Map.of());

    public EngineReadiness {
        details = Map.copyOf(details);
    }
}
