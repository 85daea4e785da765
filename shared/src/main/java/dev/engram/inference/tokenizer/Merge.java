package dev.engram.inference.tokenizer;

/** One BPE merge rule: the two adjacent pieces that join into {@code left + right}. */
public record Merge(String left, String right) {

    /** Parses GGUF's and older tokenizer.json's spelling, {@code "left right"}. */
    public static Merge parse(String spaced) {
        int space = spaced.indexOf(' ', 1); // a piece may itself be a space only at the start
        if (space < 0) {
            throw new IllegalArgumentException("merge '" + spaced + "' is not two pieces separated by a space");
        }
        return new Merge(spaced.substring(0, space), spaced.substring(space + 1));
    }

    /** GGUF's spelling, {@code "left right"}. */
    public String spaced() {
        return left + " " + right;
    }
}
