package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One chat message. {@code content} is a string, or (as OpenAI allows) an array of parts of which only
 * {@code {"type": "text", "text": ...}} is understood; {@code name} is accepted and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ChatMessage(String role, JsonNode content, String name) {

    public static ChatMessage of(String role, String text) {
        return new ChatMessage(role, com.fasterxml.jackson.databind.node.TextNode.valueOf(text), null);
    }
}
