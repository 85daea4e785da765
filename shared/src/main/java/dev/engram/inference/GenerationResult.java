package dev.engram.inference;

/**
 * What a generation produced and what it cost.
 *
 * @param promptTokens tokens fed to the model, BOS and template included
 * @param completionTokens tokens generated, not counting an end-of-sequence token
 * @param timeToFirstTokenNanos from the call (queue wait included) to the first generated token
 * @param totalNanos from the call to the end
 */
public record GenerationResult(
        String text,
        FinishReason finishReason,
        int promptTokens,
        int completionTokens,
        long timeToFirstTokenNanos,
        long totalNanos) {

    /**
     * Decode speed: tokens after the first over the time after the first, so prefill and queueing do
     * not blur it. With a single token, that token over the whole call.
     */
    public double tokensPerSecond() {
        long decodeNanos = totalNanos - timeToFirstTokenNanos;
        if (completionTokens > 1 && decodeNanos > 0) {
            return (completionTokens - 1) * 1e9 / decodeNanos;
        }
        return totalNanos > 0 ? completionTokens * 1e9 / totalNanos : 0;
    }
}
