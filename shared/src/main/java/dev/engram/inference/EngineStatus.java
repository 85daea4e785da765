package dev.engram.inference;

/**
 * What an engine is doing now, cheap enough for every metrics scrape.
 *
 * @param backend which engine: {@code engram} (own, in process), {@code jlama} or {@code remote}
 * @param waiting requests waiting for the model
 * @param running generations running now (the batch size with continuous batching)
 */
public record EngineStatus(String backend, int waiting, int running) {}
