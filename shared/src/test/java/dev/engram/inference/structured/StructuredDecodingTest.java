package dev.engram.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.errors.NotSupportedException;
import dev.engram.inference.tokenizer.Tokenizer;
import dev.engram.testing.SchemaValidator;
import dev.engram.testing.SyntheticVocabulary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Token masks: at every step the allowed set is exactly the tokens whose bytes keep a valid prefix
 * (checked against every token of the vocabulary), end tokens only where the document is complete,
 * cached masks equal fresh ones, and random walks over the allowed tokens end in valid documents.
 */
class StructuredDecodingTest {
    private static final Tokenizer VOCABULARY = new SyntheticVocabulary(4000, 7);

    @Test
    void allowedTokensAreExactlyThoseThatKeepAValidPrefix() {
        StructuredDecoding decoding = new StructuredDecoding(VOCABULARY);
        Random random = new Random(11);
        int documents = 0;
        for (int round = 0; round < 2; round++) { // the second round meets cached masks
            for (String schema : TestSchemas.ALL) {
                ResponseFormat format = schema == null
                        ? ResponseFormat.jsonObject()
                        : ResponseFormat.jsonSchema("test", JsonGrammarTest.node(schema));
                for (int walk = 0; walk < 15; walk++) {
                    TokenConstraint constraint = decoding.start(format);
                    State state = format.grammar().start();
                    ByteArrayOutputStream text = new ByteArrayOutputStream();
                    BitSet allowed = new BitSet();
                    boolean ended = false;
                    for (int step = 0; step < 120 && !ended; step++) {
                        constraint.allowed(allowed);
                        assertThat(allowed)
                                .as("after '%s' for %s", text, schema)
                                .isEqualTo(bruteForce(state));
                        assertThat(constraint.complete()).isEqualTo(State.completes(state));
                        if (constraint.finished()) {
                            break;
                        }
                        int token = pick(allowed, random, step);
                        if (token == 1) {
                            ended = true;
                            break;
                        }
                        constraint.accept(token);
                        for (byte b : VOCABULARY.bytes(token)) {
                            state = State.step(state, b & 0xFF);
                        }
                        text.writeBytes(VOCABULARY.bytes(token));
                    }
                    if (constraint.complete()) {
                        documents++;
                        String document = text.toString(StandardCharsets.UTF_8);
                        assertThat(SchemaValidator.errors(schema, document))
                                .as("%s against %s", document, schema)
                                .isEmpty();
                    }
                }
            }
        }
        assertThat(documents).isGreaterThan(100);
    }

    @Test
    void aTokenThatWasNotAllowedIsRefused() {
        TokenConstraint constraint = new StructuredDecoding(VOCABULARY).start(ResponseFormat.jsonObject());
        assertThatThrownBy(() -> constraint.accept(2 + '[')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> constraint.accept(1))
                .as("an end token is not text")
                .isInstanceOf(IllegalArgumentException.class);
        constraint.accept(2 + '{');
        constraint.accept(2 + '}');
        assertThat(constraint.finished()).isTrue();
    }

    @Test
    void aVocabularyThatCannotSpellEveryByteIsRefused() {
        Tokenizer lacking = new SyntheticVocabulary(600, 7) {
            @Override
            public byte[] bytes(int token) {
                return token == 2 + '}' ? new byte[0] : super.bytes(token);
            }
        };
        assertThatThrownBy(() -> new StructuredDecoding(lacking).start(ResponseFormat.jsonObject()))
                .isInstanceOf(NotSupportedException.class)
                .hasMessageContaining("0x7D");
    }

    /** Every token whose bytes the automaton takes from {@code state}, and the end token where it may end. */
    private static BitSet bruteForce(State state) {
        BitSet allowed = new BitSet();
        for (int token = 2; token < VOCABULARY.size(); token++) {
            State next = state;
            for (byte b : VOCABULARY.bytes(token)) {
                next = State.step(next, b & 0xFF);
                if (next == null) {
                    break;
                }
            }
            if (next != null) {
                allowed.set(token);
            }
        }
        if (State.completes(state)) {
            allowed.set(1);
        }
        return allowed;
    }

    /** Random allowed tokens, longer walks ending more often: the end token when allowed, later on. */
    private static int pick(BitSet allowed, Random random, int step) {
        if (allowed.get(1) && random.nextInt(3) == 0) {
            return 1;
        }
        int[] ids = allowed.stream().toArray();
        if (step > 40) {
            // Prefer single bytes that close things, so walks end.
            for (int closer : new int[] {'"', '}', ']', '0'}) {
                if (allowed.get(2 + closer) && random.nextBoolean()) {
                    return 2 + closer;
                }
            }
        }
        return ids[random.nextInt(ids.length)];
    }
}
