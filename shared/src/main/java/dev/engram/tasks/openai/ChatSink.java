package dev.engram.tasks.openai;

import dev.engram.inference.openai.ChatCompletionChunk;

/** Where a streamed chat completion's chunks go (the HTTP entry writes each as a server-sent event). */
@FunctionalInterface
public interface ChatSink {
    void send(ChatCompletionChunk chunk);
}
