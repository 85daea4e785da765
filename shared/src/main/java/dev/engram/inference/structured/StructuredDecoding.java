package dev.engram.inference.structured;

import dev.engram.inference.tokenizer.Tokenizer;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Structured output over one vocabulary: one per loaded model. Starts a {@link TokenConstraint} per
 * generation from a grammar compiled once per schema (the most recent {@value #GRAMMARS} are kept).
 * The tokens allowed in an automaton state are found by walking the vocabulary's trie with the
 * automaton, and kept per state (up to {@value #CACHE_MEGABYTES} MB in all), so a state met again —
 * the inside of a string, the places between values — costs a lookup. Thread-safe.
 */
public final class StructuredDecoding {
    static final int GRAMMARS = 32;
    static final int CACHE_MEGABYTES = 64;

    private final Tokenizer tokenizer;
    private volatile TokenVocabulary vocabulary;
    private final Map<String, Masks> grammars = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong cachedBytes = new AtomicLong();

    public StructuredDecoding(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * The constraint for one generation of {@code format}.
     *
     * @throws dev.engram.errors.NotSupportedException when this vocabulary cannot spell every JSON text
     */
    public TokenConstraint start(ResponseFormat format) {
        return new Constraint(masks(format));
    }

    private Masks masks(ResponseFormat format) {
        TokenVocabulary vocabulary = vocabulary();
        synchronized (grammars) {
            Masks masks = grammars.get(format.key());
            if (masks == null) {
                // Compiled again rather than shared: the cached masks belong to this grammar's own states.
                masks = new Masks(JsonGrammar.compile(format.schema()), vocabulary);
                grammars.put(format.key(), masks);
                if (grammars.size() > GRAMMARS) {
                    var eldest = grammars.entrySet().iterator();
                    cachedBytes.addAndGet(-eldest.next().getValue().clear());
                    eldest.remove();
                }
            }
            return masks;
        }
    }

    private TokenVocabulary vocabulary() {
        TokenVocabulary v = vocabulary;
        if (v == null) {
            synchronized (this) {
                v = vocabulary;
                if (v == null) {
                    vocabulary = v = TokenVocabulary.of(tokenizer);
                }
            }
        }
        return v;
    }

    /** A grammar over this vocabulary, with the masks of the states met so far. */
    private final class Masks {
        final JsonGrammar grammar;
        final TokenVocabulary vocabulary;
        /** A sorted int[] of token ids when few are allowed, else a BitSet; never modified once stored. */
        final Map<State, Object> cache = new ConcurrentHashMap<>();

        Masks(JsonGrammar grammar, TokenVocabulary vocabulary) {
            this.grammar = grammar;
            this.vocabulary = vocabulary;
        }

        void fill(State state, BitSet out) {
            Object known = cache.get(state);
            if (known == null) {
                BitSet found = new BitSet(vocabulary.size);
                if (state.frame instanceof StringFrame string && string.text().between()) {
                    found.or(vocabulary.plain(
                            string.shape().maxLength - string.text().count()));
                    vocabulary.special.walk(state, found);
                } else if (state.frame instanceof MapFrame map
                        && map.phase() == ObjectFrame.KEY
                        && map.key().between()) {
                    found.or(vocabulary.plain(Integer.MAX_VALUE));
                    vocabulary.special.walk(state, found);
                } else {
                    vocabulary.all.walk(state, found);
                }
                known = remember(state, found);
            }
            if (known instanceof BitSet bits) {
                out.or(bits);
            } else {
                for (int id : (int[]) known) {
                    out.set(id);
                }
            }
        }

        private Object remember(State state, BitSet found) {
            int count = found.cardinality();
            Object mask = count * 32L < vocabulary.size ? found.stream().toArray() : found;
            long bytes = mask instanceof int[] ids ? 16L + 4L * ids.length : 32L + vocabulary.size / 8;
            if (cachedBytes.addAndGet(bytes) > CACHE_MEGABYTES * 1024L * 1024L) {
                clearAll();
                cachedBytes.addAndGet(bytes);
            }
            cache.put(state, mask);
            return mask;
        }

        long clear() {
            long bytes = 0;
            for (Object mask : cache.values()) {
                bytes += mask instanceof int[] ids ? 16L + 4L * ids.length : 32L + vocabulary.size / 8;
            }
            cache.clear();
            return bytes;
        }
    }

    private void clearAll() {
        synchronized (grammars) {
            grammars.values().forEach(Masks::clear);
            cachedBytes.set(0);
        }
    }

    /** One generation's position in its grammar. */
    private static final class Constraint implements TokenConstraint {
        private final Masks masks;
        private State state;

        Constraint(Masks masks) {
            this.masks = masks;
            this.state = masks.grammar.start();
        }

        @Override
        public void allowed(BitSet out) {
            out.clear();
            masks.fill(state, out);
            if (State.completes(state)) {
                for (int id : masks.vocabulary.endTokens) {
                    out.set(id);
                }
            }
        }

        @Override
        public void accept(int token) {
            byte[] spelled = token >= 0 && token < masks.vocabulary.size ? masks.vocabulary.bytes[token] : new byte[0];
            State next = spelled.length == 0 ? null : state;
            for (int i = 0; next != null && i < spelled.length; i++) {
                next = State.step(next, spelled[i] & 0xFF);
            }
            if (next == null) {
                throw new IllegalArgumentException("token " + token + " is not allowed here");
            }
            state = next;
        }

        @Override
        public boolean complete() {
            return State.completes(state);
        }

        @Override
        public boolean finished() {
            if (state == State.DONE) {
                return true;
            }
            if (!State.completes(state)) {
                return false;
            }
            // A top-level number at its last digit: complete, and no byte may follow.
            for (int b = 0; b < 256; b++) {
                if (State.step(state, b) != null) {
                    return false;
                }
            }
            return true;
        }
    }
}
