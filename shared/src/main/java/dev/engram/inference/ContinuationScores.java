package dev.engram.inference;

import java.util.List;

/**
 * How likely the model finds each of several continuations of one prompt.
 *
 * @param promptTokens tokens of the shared prompt (BOS and template included), computed once
 * @param scores one per continuation, in the order asked
 * @param tokenizeNanos tokenising the prompt and every prompt + continuation text
 * @param queueNanos waiting for the model's turn
 * @param promptNanos the shared prompt's forward pass and its last-position logits
 * @param continuationsNanos all continuations together (their forward passes and logits)
 * @param totalNanos from the call to the end
 */
public record ContinuationScores(
        int promptTokens,
        List<Score> scores,
        long tokenizeNanos,
        long queueNanos,
        long promptNanos,
        long continuationsNanos,
        long totalNanos) {

    public ContinuationScores {
        scores = List.copyOf(scores);
    }

    /** Tokens of all continuations together: what was scored. */
    public int scoredTokens() {
        return scores.stream().mapToInt(Score::tokens).sum();
    }

    /**
     * One continuation's log-likelihood: the sum over its tokens of log p(token | everything before).
     *
     * @param tokens how many tokens were scored
     * @param logProb the sum of their natural-log probabilities
     */
    public record Score(int tokens, double logProb) {
        /** Length-normalised: the mean log-probability per token, so long labels are not penalised. */
        public double meanLogProb() {
            return tokens == 0 ? 0 : logProb / tokens;
        }
    }
}
