package dev.engram.batch;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /batch-submit}. A new job names its input — {@code input} (a file path or an http(s)/file
 * URL) or {@code inputStream} (a Redis stream of {@code line} fields under the tenant's namespace) —
 * and may name its {@code output} file (default: the input path + {@code .results.jsonl}).
 * {@code idempotencyKey} (the trigger's event id) makes a repeated submission return the first job.
 * A request with only {@code jobId} resumes that job (after a cancel, or to nudge it).
 */
@RegisterForReflection
public record BatchSubmitRequest(
        String jobId, String input, String inputStream, String output, String idempotencyKey) {}
