package dev.engram.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.EngramException;
import dev.engram.errors.ErrorBody;
import dev.engram.errors.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Submitting, loading, inspecting, cancelling and resuming batch jobs (a runner takes them from the {@link JobQueue}). */
@ApplicationScoped
public class BatchJobs {
    private static final int LOAD_CHUNK = 128;
    private static final int MAX_KEY = 256;

    private final BatchStore store;
    private final BatchLines lines;
    private final BatchConfig config;
    private final JobQueue queue;
    private final ObjectMapper json;
    private final UrlInputs urls;

    public BatchJobs(BatchStore store, BatchLines lines, BatchConfig config, JobQueue queue, ObjectMapper json) {
        this.store = store;
        this.lines = lines;
        this.config = config;
        this.queue = queue;
        this.json = json;
        this.urls = new UrlInputs(config.url());
    }

    /**
     * Starts a job, or returns the job an earlier delivery of the same event started, or resumes the
     * job a request naming only a {@code jobId} refers to. {@code eventId} is the trigger's event id
     * (CloudEvent id), used when the request carries no {@code idempotencyKey}.
     */
    public BatchStatus submit(String tenant, BatchSubmitRequest request, String eventId) {
        if (request == null) {
            throw new InvalidRequestException("missing_body", "A batch-submit request needs a JSON body");
        }
        if (request.jobId() != null) {
            requireJobId(request.jobId());
        }
        if (request.input() == null && request.inputStream() == null) {
            if (request.jobId() == null) {
                throw new InvalidRequestException(
                        "missing_field", "'input', 'inputStream' or (to resume) 'jobId' is required");
            }
            return resume(tenant, request.jobId());
        }
        if (request.input() != null && request.inputStream() != null) {
            throw new InvalidRequestException("invalid_input", "Give 'input' or 'inputStream', not both");
        }
        String jobId = request.jobId() != null
                ? request.jobId()
                : "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Map<String, String> source = source(tenant, jobId, request);
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : eventId;
        if (key != null && (key.isEmpty() || key.length() > MAX_KEY)) {
            throw new InvalidRequestException(
                    "invalid_idempotency_key", "'idempotencyKey' must be 1 to " + MAX_KEY + " characters");
        }
        if (key != null) {
            String earlier = store.reserveEvent(tenant, key, jobId, config.retention());
            if (earlier != null) {
                return statusOrLoading(tenant, earlier).asDuplicate();
            }
        }
        BatchKeys keys = BatchKeys.of(tenant, jobId);
        String now = Long.toString(System.currentTimeMillis());
        source.putAll(Map.of(
                "tenant",
                tenant,
                "submittedAt",
                now,
                "resumedAt",
                now,
                "doneAtResume",
                "0",
                "done",
                "0",
                "failed",
                "0",
                "written",
                "0",
                "idempotencyKey",
                key == null ? "" : key));
        if (!store.create(keys, source)) {
            return resume(tenant, jobId).asDuplicate();
        }
        try {
            load(keys);
        } catch (RuntimeException e) {
            store.delete(keys);
            if (key != null) {
                store.releaseEvent(tenant, key);
            }
            throw e;
        }
        queue.offer(keys);
        return status(tenant, jobId);
    }

    /**
     * A storage "object finalized" event: the object {@code <input-root>/<tenant>/<bucket>/<name>} is the
     * input, the results go to {@code <output-root>/<tenant>/<bucket>/<name>.results.jsonl}.
     */
    public BatchStatus submitObject(String tenant, StorageObjectEvent event, String eventId) {
        if (event == null) {
            throw new InvalidRequestException("missing_body", "A storage event needs data {bucket, name}");
        }
        BatchFiles.Place input = BatchFiles.storageObject(event.bucket(), event.name(), config.inputRoot(), tenant);
        return submit(tenant, new BatchSubmitRequest(null, input.name(), null, null, null), eventId);
    }

    /** Copies the input into the job's input stream (idempotent: a reload after a crash skips what is there) and starts it. */
    void load(BatchKeys keys) {
        Map<String, String> meta = store.meta(keys);
        long loaded = Long.parseLong(meta.getOrDefault("loaded", "0"));
        long n = 0;
        try (BatchSources source = open(keys, meta)) {
            List<String> chunk = new ArrayList<>();
            for (BoundedLines.Line line = source.next(); line != null; line = source.next()) {
                if (++n > config.maxLines()) {
                    throw new InvalidRequestException(
                            "job_too_large",
                            "The input has more than " + config.maxLines() + " lines (engram.batch.max-lines)");
                }
                if (n <= loaded) {
                    continue;
                }
                if (line.oversize()) {
                    chunk.addAll(List.of(
                            Long.toString(n),
                            BatchLines.customIdInHead(line.head()),
                            "o",
                            Long.toString(line.bytes())));
                } else {
                    chunk.addAll(List.of(Long.toString(n), lines.customIdOf(line.text()), "l", line.text()));
                }
                if (chunk.size() >= LOAD_CHUNK * 4) {
                    store.addLines(keys, chunk);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                store.addLines(keys, chunk);
            }
        } catch (IOException e) {
            throw new InvalidRequestException("input_unreadable", "Cannot read the input: " + BatchFiles.reason(e));
        }
        String now = Long.toString(System.currentTimeMillis());
        store.transition(
                keys, BatchStatus.LOADING, BatchStatus.RUNNING, true, "total", Long.toString(n), "startedAt", now);
    }

    public BatchStatus status(String tenant, String jobId) {
        requireJobId(jobId);
        Map<String, String> meta = store.meta(BatchKeys.of(tenant, jobId));
        if (meta.isEmpty()) {
            throw new EngramException(404, "job_not_found", "No batch job '" + jobId + "'");
        }
        return view(jobId, meta, System.currentTimeMillis());
    }

    /** Stops the job after the lines in flight; its results so far stay, {@link #resume} continues it. */
    public BatchStatus cancel(String tenant, String jobId) {
        BatchStatus before = status(tenant, jobId);
        BatchKeys keys = BatchKeys.of(tenant, jobId);
        store.transition(
                keys,
                BatchStatus.LOADING + "," + BatchStatus.RUNNING,
                BatchStatus.CANCELLED,
                false,
                "cancelledAt",
                Long.toString(System.currentTimeMillis()));
        return before.state().equals(BatchStatus.COMPLETED) ? before : status(tenant, jobId);
    }

    public BatchStatus resume(String tenant, String jobId) {
        Map<String, String> meta = store.meta(BatchKeys.of(tenant, jobId));
        if (meta.isEmpty()) {
            throw new EngramException(404, "job_not_found", "No batch job '" + jobId + "'");
        }
        BatchKeys keys = BatchKeys.of(tenant, jobId);
        if (BatchStatus.CANCELLED.equals(meta.get("state"))) {
            // a cancel during loading leaves no total: such a job goes back to loading, which continues where it
            // stopped
            boolean loaded = meta.containsKey("total");
            store.transition(
                    keys,
                    BatchStatus.CANCELLED,
                    loaded ? BatchStatus.RUNNING : BatchStatus.LOADING,
                    true,
                    "resumedAt",
                    Long.toString(System.currentTimeMillis()),
                    "doneAtResume",
                    meta.getOrDefault("done", "0"),
                    "loadedAt",
                    "0");
        }
        queue.offer(keys);
        return status(tenant, jobId);
    }

    /** The final status, written beside the output. */
    void writeSummary(BatchKeys keys, Map<String, String> meta, long finishedAt) {
        Map<String, String> finished = new LinkedHashMap<>(meta);
        finished.put("state", BatchStatus.COMPLETED);
        finished.put("finishedAt", Long.toString(finishedAt));
        try {
            BatchSink.summary(
                    outputPath(meta),
                    outputDir(keys),
                    json.writeValueAsString(view(keys.jobId(), finished, finishedAt)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the job as failed (its input cannot be read, its output not written): a final state, with the reason in its status. */
    void fail(BatchKeys keys, ErrorBody error) {
        if (store.transition(
                keys,
                BatchStatus.LOADING + "," + BatchStatus.RUNNING,
                BatchStatus.FAILED,
                false,
                "finishedAt",
                Long.toString(System.currentTimeMillis()),
                "error",
                error.error(),
                "errorMessage",
                error.message())) {
            store.expire(keys, config.retention());
        }
    }

    /** Where the job's results file is (jobs submitted before outputs were relative kept only "output"). */
    static Path outputPath(Map<String, String> meta) {
        return Path.of(meta.getOrDefault("outputPath", meta.get("output")));
    }

    /** The job's tenant's output directory, where its results file must be. */
    Path outputDir(BatchKeys keys) {
        return BatchFiles.outputDir(config.outputRoot(), keys.tenant());
    }

    BatchSources open(BatchKeys keys, Map<String, String> meta) {
        String kind = meta.get("inputKind");
        return switch (kind) {
            case "file" ->
                BatchSources.file(
                        Path.of(meta.get("inputPath")),
                        BatchFiles.inputDir(config.inputRoot(), keys.tenant()),
                        config.maxLineBytes());
            case "url" -> BatchSources.url(urls, meta.get("input"), config.maxLineBytes());
            case "stream" -> BatchSources.stream(store, meta.get("inputPath"), config.maxLineBytes());
            default -> throw new IllegalStateException("Unknown input kind " + kind);
        };
    }

    /**
     * Where the job reads and writes, checked before anything is created: a file of the tenant's, an
     * allowed URL or a stream of the tenant's; the results file below the tenant's output directory.
     */
    private Map<String, String> source(String tenant, String jobId, BatchSubmitRequest request) {
        Map<String, String> source = new LinkedHashMap<>();
        String defaultOutput = jobId + BatchFiles.RESULTS_SUFFIX;
        if (request.inputStream() != null) {
            if (!BatchKeys.JOB_ID.matcher(request.inputStream()).matches()) {
                throw new InvalidRequestException(
                        "invalid_input", "'inputStream' must be 1 to 64 characters from A-Z a-z 0-9 . _ -");
            }
            String key = BatchKeys.inputStream(tenant, request.inputStream());
            if (!store.exists(key)) {
                throw new InvalidRequestException("input_not_found", "No Redis stream " + key);
            }
            source.putAll(Map.of("inputKind", "stream", "input", request.inputStream(), "inputPath", key));
        } else if (BatchFiles.isUrl(request.input())) {
            urls.check(request.input());
            source.putAll(Map.of("inputKind", "url", "input", request.input(), "inputPath", request.input()));
        } else {
            BatchFiles.Place input = BatchFiles.input(request.input(), config.inputRoot(), tenant);
            source.putAll(Map.of(
                    "inputKind",
                    "file",
                    "input",
                    request.input(),
                    "inputPath",
                    input.path().toString()));
            defaultOutput = input.name() + BatchFiles.RESULTS_SUFFIX;
        }
        BatchFiles.Place output = BatchFiles.output(
                request.output() != null ? request.output() : defaultOutput, config.outputRoot(), tenant);
        source.put("output", output.name());
        source.put("outputPath", output.path().toString());
        return source;
    }

    /** A duplicate delivery may arrive while the first one is still creating the job. */
    private BatchStatus statusOrLoading(String tenant, String jobId) {
        Map<String, String> meta = store.meta(BatchKeys.of(tenant, jobId));
        return meta.isEmpty()
                ? new BatchStatus(
                        jobId,
                        BatchStatus.LOADING,
                        null,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                : view(jobId, meta, System.currentTimeMillis());
    }

    private static void requireJobId(String jobId) {
        if (jobId == null || !BatchKeys.JOB_ID.matcher(jobId).matches()) {
            throw new InvalidRequestException(
                    "invalid_job_id", "'jobId' must be 1 to 64 characters from A-Z a-z 0-9 . _ -");
        }
    }

    static BatchStatus view(String jobId, Map<String, String> meta, long now) {
        long total = number(meta, "total");
        long done = number(meta, "done");
        long failed = number(meta, "failed");
        long written = number(meta, "written");
        String state = meta.getOrDefault("state", BatchStatus.LOADING);
        long resumedAt = number(meta, "resumedAt");
        long end = switch (state) {
            case BatchStatus.COMPLETED, BatchStatus.FAILED -> number(meta, "finishedAt");
            case BatchStatus.CANCELLED -> number(meta, "cancelledAt");
            default -> now;
        };
        long sinceResume = done - number(meta, "doneAtResume");
        double seconds = Math.max(1e-3, (end - resumedAt) / 1000.0);
        double rate = resumedAt > 0 && sinceResume > 0 ? sinceResume / seconds : 0;
        long pending = Math.max(0, total - done);
        Double eta = state.equals(BatchStatus.RUNNING) && rate > 0 ? round(pending / rate) : null;
        double percent = total == 0 ? (state.equals(BatchStatus.COMPLETED) ? 100 : 0) : round(100.0 * done / total);
        return new BatchStatus(
                jobId,
                state,
                meta.get("input"),
                meta.get("output"),
                total,
                done,
                failed,
                pending,
                written,
                percent,
                round(rate),
                eta,
                time(meta, "submittedAt"),
                time(meta, "startedAt"),
                time(meta, "finishedAt"),
                runners(meta),
                meta.containsKey("error") ? new ErrorBody(meta.get("error"), meta.get("errorMessage")) : null,
                null);
    }

    private static Map<String, Long> runners(Map<String, String> meta) {
        Map<String, Long> runners = new java.util.TreeMap<>();
        meta.forEach((field, value) -> {
            if (field.startsWith("by:")) {
                runners.put(field.substring(3), Long.parseLong(value));
            }
        });
        return runners.isEmpty() ? null : runners;
    }

    private static long number(Map<String, String> meta, String field) {
        String value = meta.get(field);
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private static String time(Map<String, String> meta, String field) {
        long millis = number(meta, field);
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
