package dev.engram.batch;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /batch-status} and {@code POST /batch-cancel}: the job's id. */
@RegisterForReflection
public record BatchJobRequest(String jobId) {}
