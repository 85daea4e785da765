package dev.engram.inference;

import dev.engram.errors.NotSupportedException;
import java.util.List;

/**
 * The seam between the tasks and whatever runs the transformer: Jlama in this process, or a remote
 * OpenAI-compatible server. Implementations are thread-safe; whether they serialise generations is
 * their business.
 */
public interface LanguageModel extends AutoCloseable {

    /** The model's name as reported to callers (directory name or Hugging Face id). */
    String name();

    /**
     * How many positions a prompt plus its continuation may use. Already reduced by any safety margin
     * the engine needs, so callers can budget against it directly.
     */
    int contextLength();

    /** Token ids of {@code text} as the model's tokenizer splits it, without BOS or special tokens. */
    int[] tokenize(String text);

    default int countTokens(String text) {
        return text.isEmpty() ? 0 : tokenize(text).length;
    }

    /**
     * The text this engine makes of {@code prompt}: the model's chat template when it has one,
     * otherwise a raw completion prompt (see {@link Prompt}); a raw prompt is its own text. Callers
     * use it to budget tokens ({@code countTokens(render(prompt))}) and to show the prompt; they never
     * pass it back: {@link #generate} renders the request's prompt itself.
     */
    String render(Prompt prompt);

    /** Whether {@link #render} uses a chat template (false: raw completion). */
    boolean hasChatTemplate();

    /**
     * Generates a continuation of {@code request.prompt()} as this engine renders it, streaming text
     * to {@code listener} as it becomes final. Blocks until done; {@link Cancellation#cancel()} ends it early.
     *
     * @throws dev.engram.errors.InvalidRequestException when the prompt does not fit the context
     * @throws dev.engram.errors.UnavailableException when the engine is saturated or not ready
     */
    GenerationResult generate(GenerationRequest request, TokenListener listener);

    /**
     * Scores each continuation of {@code prompt}: the log-likelihood the model gives to the
     * continuation's tokens right after the prompt as this engine renders it (a chat prompt ends where
     * the assistant's reply begins; a raw prompt's text and the continuation are tokenised as a whole,
     * the prompt's tokens removed). The prompt is computed once for all continuations.
     * {@code cancellation} carries the request's deadline. Backends that cannot see token
     * probabilities do not override this.
     *
     * @throws dev.engram.errors.InvalidRequestException when prompt plus a continuation does not fit the context
     * @throws dev.engram.errors.UnavailableException when the engine is saturated or not ready
     * @throws NotSupportedException when this backend cannot score (501)
     */
    default ContinuationScores scoreContinuations(
            Prompt prompt, List<String> continuations, Cancellation cancellation) {
        throw new NotSupportedException("Scoring continuations (classify mode 'llm') is not supported by the "
                + getClass().getSimpleName() + " backend; use mode 'embedding'");
    }

    /** What the engine is doing now: queue, running generations. */
    EngineStatus status();

    /**
     * Whether the loaded engine can serve now, for the readiness probe. May take a network round trip
     * (a remote engine asks its server), so it is not for every request.
     */
    default EngineReadiness readiness() {
        return EngineReadiness.LOADED;
    }

    @Override
    void close();
}
