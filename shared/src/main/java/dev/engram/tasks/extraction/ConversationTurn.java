package dev.engram.tasks.extraction;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One turn of a conversation given to {@code remember}: {@code role} user or assistant, and its text. */
@RegisterForReflection
public record ConversationTurn(String role, String text) {}
