package dev.engram.tasks.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.errors.EngramException;
import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.embedding.Embedder;
import dev.engram.tasks.Requests;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings endpoint over the embedder long-term memory uses: the same vectors (unit
 * length, so a dot product is the cosine) that {@code remember} stores and {@code recall} compares.
 */
@ApplicationScoped
public class OpenAiEmbeddings {
    /** OpenAI's own limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private final Embedder embedder;

    public OpenAiEmbeddings(Embedder embedder) {
        this.embedder = embedder;
    }

    /** Checks {@code request} (every problem a 4xx naming the field) and embeds its inputs in order. */
    public EmbeddingList embed(EmbeddingsRequest request) {
        Requests.body(request);
        List<String> inputs = inputs(Requests.required(request.input(), "input"));
        if (request.model() != null && !request.model().equals(embedder.model().id())) {
            throw new EngramException(
                    404,
                    "model_not_found",
                    "The embedding model '" + request.model() + "' is not served here; " + "this function embeds with '"
                            + embedder.model().id() + "'");
        }
        String format = request.encodingFormat() == null ? "float" : request.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw new InvalidRequestException(
                    "invalid_request", "'encoding_format' must be float or base64, got '" + format + "'");
        }
        if (request.dimensions() != null && request.dimensions() != embedder.dimensions()) {
            throw new InvalidRequestException(
                    "unsupported",
                    "'dimensions' must be " + embedder.dimensions() + " (the model's), got " + request.dimensions());
        }
        Embedder.Embedded embedded = embedder.embedCounted(inputs);
        List<EmbeddingList.Embedding> data = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = embedded.vectors().get(i);
            data.add(new EmbeddingList.Embedding("embedding", format.equals("base64") ? base64(vector) : vector, i));
        }
        return new EmbeddingList(
                "list", data, embedder.model().id(), new EmbeddingList.Usage(embedded.tokens(), embedded.tokens()));
    }

    private static List<String> inputs(JsonNode input) {
        if (input.isTextual()) {
            return List.of(text(input.asText(), "input"));
        }
        if (!input.isArray()) {
            throw new InvalidRequestException("invalid_request", "'input' must be a string or an array of strings");
        }
        if (input.isEmpty() || input.size() > MAX_INPUTS) {
            throw new InvalidRequestException(
                    "out_of_range", "'input' must hold 1 to " + MAX_INPUTS + " strings, got " + input.size());
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (item.isNumber() || item.isArray()) {
                throw new InvalidRequestException(
                        "unsupported",
                        "'input' as token ids is not supported: send text (the model's "
                                + "tokenizer is not OpenAI's)");
            }
            if (!item.isTextual()) {
                throw new InvalidRequestException("invalid_request", "'input[" + i + "]' must be a string");
            }
            texts.add(text(item.asText(), "input[" + i + "]"));
        }
        return texts;
    }

    private static String text(String text, String field) {
        Requests.text(text, field);
        if (Requests.blank(text)) {
            throw new InvalidRequestException("empty_text", "'" + field + "' has no visible characters");
        }
        return text;
    }

    /** OpenAI's base64 form: the vector's float32 values, little-endian. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
