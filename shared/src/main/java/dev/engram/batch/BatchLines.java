package dev.engram.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.BadJson;
import dev.engram.errors.EngramException;
import dev.engram.errors.ErrorBody;
import dev.engram.errors.UnavailableException;
import dev.engram.tasks.classify.ClassifyRequest;
import dev.engram.tasks.classify.ClassifyTask;
import dev.engram.tasks.generate.GenerateRequest;
import dev.engram.tasks.generate.GenerateTask;
import dev.engram.tasks.summarize.SummarizeRequest;
import dev.engram.tasks.summarize.SummarizeTask;
import dev.engram.tasks.translate.TranslateRequest;
import dev.engram.tasks.translate.TranslateTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One input line to one result line: reads {@code {customId, function, body}} (or a line in OpenAI's
 * Batch format, which {@link OpenAiBatchLines} runs and answers in OpenAI's form), converts {@code body}
 * with the application's strict mapper into the task's request record and runs the task in-process.
 * Whatever goes wrong becomes the error body the function itself would have answered.
 */
@ApplicationScoped
public class BatchLines {
    private static final Logger LOG = Logger.getLogger(BatchLines.class);
    public static final List<String> FUNCTIONS = List.of("generate", "summarize", "translate", "classify");
    private static final Set<String> FIELDS = Set.of("customId", "function", "body");
    private static final int MAX_CUSTOM_ID = 256;
    /** A transient failure (model loading, queue full) is retried this often before it becomes the line's error. */
    private static final int ATTEMPTS = 4;

    private static final Pattern CUSTOM_ID =
            Pattern.compile("\"(?:customId|custom_id)\"\\s*:\\s*\"([^\"\\\\]{1," + MAX_CUSTOM_ID + "})\"");

    private final ObjectMapper json;
    private final OpenAiBatchLines openAi;
    private final Instance<GenerateTask> generate;
    private final Instance<SummarizeTask> summarize;
    private final Instance<TranslateTask> translate;
    private final Instance<ClassifyTask> classify;

    public BatchLines(
            ObjectMapper json,
            OpenAiBatchLines openAi,
            Instance<GenerateTask> generate,
            Instance<SummarizeTask> summarize,
            Instance<TranslateTask> translate,
            Instance<ClassifyTask> classify) {
        this.json = json;
        this.openAi = openAi;
        this.generate = generate;
        this.summarize = summarize;
        this.translate = translate;
        this.classify = classify;
    }

    /** The customId of a line as loaded (for duplicate detection), or "" when it has no readable one. */
    public String customIdOf(String line) {
        try {
            JsonNode node = json.readTree(line);
            JsonNode id = node == null ? null : node.get(OpenAiBatchLines.isOpenAi(node) ? "custom_id" : "customId");
            return id != null && id.isTextual() && validId(id.asText()) ? id.asText() : "";
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    /** The customId found in the first bytes of an oversize line, or "". */
    public static String customIdInHead(String head) {
        Matcher m = CUSTOM_ID.matcher(head == null ? "" : head);
        return m.find() ? m.group(1) : "";
    }

    /**
     * Runs the line stored in an input entry (fields as {@link BatchStore#addLines} wrote them); null
     * when the thread was interrupted mid-line (shutdown), which is no result at all.
     */
    public BatchResult run(String tenant, long lineNumber, Map<String, String> entry, int maxLineBytes) {
        String customId = entry.getOrDefault("c", "");
        String id = customId.isEmpty() ? null : customId;
        if (entry.containsKey("o")) {
            return ResultLine.error(
                    id,
                    lineNumber,
                    new ErrorBody(
                            "line_too_long",
                            "Line " + lineNumber + " is " + entry.get("o") + " bytes; the limit is " + maxLineBytes
                                    + " (engram.batch.max-line-bytes)"));
        }
        JsonNode openAiLine = openAiLine(entry.getOrDefault("l", ""));
        String duplicateOf = entry.getOrDefault("d", "");
        if (!duplicateOf.isEmpty()) {
            ErrorBody duplicate = new ErrorBody(
                    "duplicate_custom_id",
                    (openAiLine != null ? "custom_id '" : "customId '") + customId + "' was already used by line "
                            + duplicateOf);
            return openAiLine != null
                    ? OpenAiBatchLines.refused(id, duplicate)
                    : ResultLine.error(id, lineNumber, duplicate);
        }
        try {
            if (openAiLine != null) {
                return openAi.run(id, openAiLine);
            }
            return ResultLine.ok(id, lineNumber, call(tenant, entry.getOrDefault("l", "")));
        } catch (EngramException e) {
            return ResultLine.error(id, lineNumber, e.body());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return null; // the runner is stopping: the line is not done, another runner takes it
            }
            LOG.errorf(e, "Batch line %d failed", lineNumber);
            return ResultLine.error(
                    id,
                    lineNumber,
                    new ErrorBody(
                            "internal_error",
                            "The function failed unexpectedly: " + e.getClass().getSimpleName()));
        }
    }

    /** The line parsed, when it is in OpenAI's Batch format; null otherwise. */
    private JsonNode openAiLine(String line) {
        try {
            JsonNode node = json.readTree(line);
            return OpenAiBatchLines.isOpenAi(node) ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private Object call(String tenant, String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            // not the parser's own words: they quote the text, and the input may be a file the caller cannot read
            var at = e.getLocation();
            throw new dev.engram.errors.InvalidRequestException(
                    "invalid_json",
                    "The line is not valid JSON"
                            + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new dev.engram.errors.InvalidRequestException(
                    "invalid_line", "A line must be a JSON object {customId, function, body}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                throw new dev.engram.errors.InvalidRequestException(
                        "invalid_line", "A line has an unknown field (known fields: body, customId, function)");
            }
        }
        JsonNode customId = node.get("customId");
        if (customId == null || customId.isNull()) {
            throw new dev.engram.errors.InvalidRequestException("missing_field", "'customId' is required");
        }
        if (!customId.isTextual() || !validId(customId.asText())) {
            throw new dev.engram.errors.InvalidRequestException(
                    "invalid_custom_id", "'customId' must be a string of 1 to " + MAX_CUSTOM_ID + " characters");
        }
        JsonNode function = node.get("function");
        if (function == null || function.isNull()) {
            throw new dev.engram.errors.InvalidRequestException("missing_field", "'function' is required");
        }
        JsonNode body = node.get("body");
        if (body == null || !body.isObject()) {
            throw new dev.engram.errors.InvalidRequestException(
                    body == null ? "missing_field" : "invalid_json",
                    body == null ? "'body' is required" : "'body' must be a JSON object (the function's request)");
        }
        String name = function.asText();
        return switch (function.isTextual() ? name : "") {
            case "generate" -> retrying(() -> generate.get().run(tenant, read(body, GenerateRequest.class)));
            case "summarize" -> retrying(() -> summarize.get().run(tenant, read(body, SummarizeRequest.class)));
            case "translate" -> retrying(() -> translate.get().run(tenant, read(body, TranslateRequest.class)));
            case "classify" -> retrying(() -> classify.get().run(tenant, read(body, ClassifyRequest.class)));
            default ->
                throw new dev.engram.errors.InvalidRequestException(
                        "unknown_function",
                        "'function' must be one of " + String.join(", ", FUNCTIONS) + ", got " + function);
        };
    }

    private <T> T read(JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new dev.engram.errors.InvalidRequestException(
                    "invalid_json", "Invalid JSON body: " + BadJson.describe(e));
        }
    }

    /** A batch runs unattended: a momentary 503 (model loading, queue full) is waited out, not recorded. */
    static <T> T retrying(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (UnavailableException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(Math.min(2000, Math.max(200, e.retryAfterSeconds() * 1000)) * attempt / 2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean validId(String id) {
        return !id.isEmpty() && id.length() <= MAX_CUSTOM_ID;
    }
}
