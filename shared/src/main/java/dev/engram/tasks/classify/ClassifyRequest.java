package dev.engram.tasks.classify;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /classify}. {@code text} and {@code labels} (2 to 50) are required; {@code mode} is
 * {@code llm}, {@code embedding} or {@code auto} (default); {@code threshold} in [0, 1] picks the labels
 * of a multi-label answer (default 0.5) or, for single-label, the least score the top label needs.
 */
@RegisterForReflection
public record ClassifyRequest(
        String text, List<ClassifyLabel> labels, Boolean multiLabel, String mode, Double threshold, String sessionId) {

    public static ClassifyRequest of(String text, String mode, String... labels) {
        return new ClassifyRequest(
                text, java.util.Arrays.stream(labels).map(ClassifyLabel::of).toList(), null, mode, null, null);
    }
}
