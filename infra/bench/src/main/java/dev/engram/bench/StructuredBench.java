package dev.engram.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.structured.ResponseFormat;
import dev.engram.inference.structured.StructuredDecoding;
import dev.engram.inference.structured.TokenConstraint;
import dev.engram.testing.SyntheticVocabulary;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * The structured-output rows: what a token mask costs on a vocabulary of Llama 3's size (the first
 * generation of a schema walks the vocabulary; later ones find most masks cached), and the decode
 * time per token with a JSON schema against without, same engine, prompt and model.
 */
final class StructuredBench {
    static final String SCHEMA = """
            {"type": "object", "properties": {"items": {"type": "array", "minItems": 20, "maxItems": 1000, "items": {"type": "object",
             "properties": {"name": {"type": "string", "maxLength": 16}, "quantity": {"type": "integer", "minimum": 0, "maximum": 999},
             "note": {"type": "string"}}, "required": ["name", "quantity", "note"]}}}, "required": ["items"]}""";
    static final int VOCABULARY = 128_256;

    private final BenchOptions options;
    private final List<Row> rows;

    StructuredBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    static ResponseFormat format() {
        try {
            return ResponseFormat.jsonSchema("items", new ObjectMapper().readTree(SCHEMA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mask and advance per token over random walks, on a fresh cache (cold) and again on the filled one (warm). */
    void masks() {
        SyntheticVocabulary vocabulary = new SyntheticVocabulary(VOCABULARY, BenchWeights.SEED);
        ResponseFormat format = format();
        walk(new StructuredDecoding(vocabulary), format, 1); // the JIT's warm-up, on a decoding thrown away
        StructuredDecoding decoding = new StructuredDecoding(vocabulary);
        int walks = options.quick() ? 4 : 10;
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int seed = 0; seed < walks; seed++) {
            cold.add(walk(decoding, format, seed));
        }
        for (int seed = 0; seed < walks; seed++) {
            warm.add(walk(decoding, format, seed));
        }
        String note = String.format(
                "%,d-token synthetic byte-level vocabulary, %d random walks of 200 tokens", VOCABULARY, walks);
        rows.add(Row.of(
                "structured",
                "mask per token, first walks of a schema",
                "ms",
                Stats.of(cold),
                note + "; masks computed"));
        rows.add(Row.of(
                "structured", "mask per token, same walks again", "ms", Stats.of(warm), note + "; masks cached"));
    }

    /** Mean milliseconds per token of the constraint's own calls (mask, advance) over one random walk. */
    private static double walk(StructuredDecoding decoding, ResponseFormat format, int seed) {
        Random random = new Random(seed);
        TokenConstraint constraint = decoding.start(format);
        BitSet allowed = new BitSet();
        long spent = 0;
        int tokens = 0;
        for (; tokens < 200; tokens++) {
            long start = System.nanoTime();
            if (constraint.finished()) {
                break;
            }
            constraint.allowed(allowed);
            spent += System.nanoTime() - start;
            allowed.clear(0, 2); // not the end token: the walk goes on
            if (allowed.isEmpty()) {
                break;
            }
            int id = allowed.nextSetBit(random.nextInt(VOCABULARY));
            id = id < 0 ? allowed.nextSetBit(0) : id;
            start = System.nanoTime();
            constraint.accept(id);
            spent += System.nanoTime() - start;
        }
        return spent / 1e6 / Math.max(1, tokens);
    }

    /** Decode speed with and without the schema on the engine under test; the overhead is their ratio. */
    void overhead(BenchWeights model) {
        ResponseFormat format = format();
        try (LanguageModel engine =
                EngineUnderTest.load(EngineUnderTest.model(model).orElseThrow())) {
            GenerationRequest free = GenerationRequest.greedy(Prompt.raw(Prompts.TEXT), options.decodeTokens());
            GenerationRequest json = free.withFormat(format);
            GenerationResult first = engine.generate(json, t -> {}); // cold masks, and the JIT
            engine.generate(free, t -> {});
            List<Double> plain = new ArrayList<>();
            List<Double> constrained = new ArrayList<>();
            int tokens = 0;
            for (int i = 0; i < options.repeats(); i++) {
                plain.add(1000 / engine.generate(free, t -> {}).tokensPerSecond());
                GenerationResult r = engine.generate(json, t -> {});
                constrained.add(1000 / r.tokensPerSecond());
                tokens = r.completionTokens();
            }
            Stats base = Stats.of(plain);
            Stats withSchema = Stats.of(constrained);
            String note = model.label() + ", " + tokens
                    + " greedy tokens per run, same prompt; the first run (cold masks) took "
                    + String.format("%.1f ms/token", 1000 / first.tokensPerSecond());
            rows.add(Row.of(
                    "structured", model.label() + ": decode per token without a schema (baseline)", "ms", base, note));
            rows.add(Row.of(
                            "structured",
                            model.label() + ": decode per token with a JSON schema",
                            "ms",
                            withSchema,
                            note)
                    .compared(withSchema.median() / base.median(), "with / without schema; goal <= 1.10"));
        }
    }
}
