package dev.engram.inference.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import dev.engram.inference.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Set;

/**
 * The {@link Tokenizer} seam over a model loaded by Jlama: ids and text through Jlama's tokenizer
 * (linear for SentencePiece, see {@link WordwiseEncoder}), a token's bytes as {@link TokenDecoder}
 * decodes them.
 */
final class JlamaTokenizer implements Tokenizer {
    private final AbstractModel model;
    private final TokenizerModel vocabulary;
    private final WordwiseEncoder encoder;
    private final TokenDecoder decoder;
    private final int size;
    private final boolean addBos;
    private final Set<Integer> endTokens;

    JlamaTokenizer(AbstractModel model, WordwiseEncoder encoder, int[] promptPrefix) {
        this.model = model;
        this.vocabulary = model.getTokenizer().getModel();
        this.encoder = encoder;
        this.decoder = new TokenDecoder(vocabulary, model.getConfig().bosToken);
        this.size = (int) Math.min(
                model.getConfig().vocabularySize,
                vocabulary.vocabLookup.values().stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(-1)
                        + 1);
        this.addBos = promptPrefix.length == 1 && promptPrefix[0] == model.getConfig().bosToken;
        this.endTokens = Set.copyOf(model.getConfig().eosTokens);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] encode(String text) {
        return Arrays.stream(encoder.encode(text)).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        return Arrays.stream(model.getTokenizer().encode(text))
                .mapToInt(Math::toIntExact)
                .toArray();
    }

    @Override
    public byte[] bytes(int token) {
        return decoder.bytesOf(token);
    }

    @Override
    public boolean isControl(int token) {
        return vocabulary.isSpecialToken(token);
    }

    @Override
    public int bos() {
        return model.getConfig().bosToken;
    }

    @Override
    public boolean addBos() {
        return addBos;
    }

    @Override
    public Set<Integer> endTokens() {
        return endTokens;
    }

    @Override
    public boolean addsSpacePrefix() {
        return decoder.dummyPrefix();
    }
}
