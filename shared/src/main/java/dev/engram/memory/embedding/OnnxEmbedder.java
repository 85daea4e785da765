package dev.engram.memory.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.engram.errors.InvalidRequestException;
import dev.engram.nativelibs.ExtractedLibraries;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured {@link EmbeddingModel} run in-process by LangChain4j's bundled ONNX runtime, from the
 * model file and tokenizer in LangChain4j's jar for it (int8-quantised builds: a short query embeds
 * in a few milliseconds on two cores). The model is loaded on first use, not at start-up, so functions
 * that never embed pay nothing. The ONNX session is thread-safe. It is built here rather than by
 * LangChain4j's model classes so that its threads can be configured ({@link EmbedderConfig}): by
 * default they do not spin, which on shared cores made a query embedding 3–5× faster; and so that
 * queries and stored texts get the prefixes each model was trained with.
 *
 * <p>The LangChain4j dependencies are optional in {@code shared}: a module that embeds declares the
 * model artifacts it offers itself.
 */
public class OnnxEmbedder implements Embedder {
    private final EmbeddingModel definition;
    private final int threads;
    private final boolean spin;
    private volatile Model model;

    /** Cheap: the model is loaded by the first embedding. {@link Embedders} keeps one per model. */
    public OnnxEmbedder(EmbeddingModel definition, int threads, boolean spin) {
        this.definition = definition;
        this.threads = threads;
        this.spin = spin;
    }

    @Override
    public EmbeddingModel model() {
        return definition;
    }

    @Override
    public Embedded embedCounted(List<String> texts) {
        return run(definition.passagePrefix(), texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return run(definition.queryPrefix(), List.of(query)).vectors().getFirst();
    }

    private Embedded run(String prefix, List<String> texts) {
        for (String text : texts) {
            // LangChain4j refuses what trim() empties (control characters too) with an IllegalArgumentException:
            // the callers check their fields, this keeps a missed one a 400 rather than a 500
            if (text == null || text.trim().isEmpty()) {
                throw new InvalidRequestException("empty_text", "A text to embed has no visible characters");
            }
        }
        List<TextSegment> segments =
                texts.stream().map(t -> TextSegment.from(prefix + t)).toList();
        var response = loaded().embedAll(segments);
        List<Embedding> embeddings = response.content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(normalise(embedding.vector()));
        }
        Integer tokens =
                response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        return new Embedded(vectors, tokens == null ? 0 : tokens);
    }

    private Model loaded() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    model = m = new Model(definition, threads, spin);
                }
            }
        }
        return m;
    }

    /** The model file and tokenizer from LangChain4j's jar on an ONNX session with our thread options. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(EmbeddingModel definition, int threads, boolean spin) {
            super(null); // LangChain4j's default executor, used only to split large batches
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            ExtractedLibraries.removeLoaded("libonnxruntime");
            // the options are only read while the session is created
            try (InputStream onnx = resource(definition, definition.onnx());
                    InputStream tokenizer = resource(definition, definition.tokenizer());
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    options.setIntraOpNumThreads(threads);
                }
                options.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
                options.addConfigEntry("session.inter_op.allow_spinning", spin ? "1" : "0");
                encoder = new OnnxBertBiEncoder(
                        env,
                        env.createSession(onnx.readAllBytes(), options),
                        tokenizer,
                        definition.cls() ? PoolingMode.CLS : PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + definition.id() + " from LangChain4j's jar", e);
            } catch (OrtException e) {
                throw new IllegalStateException("Cannot start the ONNX session for " + definition.id(), e);
            }
        }

        private static InputStream resource(EmbeddingModel definition, String name) {
            InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath: engram.embedding.model="
                        + definition.id() + " needs the dependency dev.langchain4j:" + definition.artifact());
            }
            return in;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return EmbeddingModel.DIMENSIONS;
        }
    }

    /** The models already normalise; normalising again makes dot = cosine a guarantee. */
    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float inv = sum == 0 ? 0 : (float) (1 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
