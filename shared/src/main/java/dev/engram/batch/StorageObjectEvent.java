package dev.engram.batch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The data of a storage "object finalized" event (Google Cloud Storage's
 * {@code google.cloud.storage.object.v1.finalized}, or any event carrying {bucket, name}). Only the
 * object's location is read; the many other attributes a storage service sends are ignored on purpose.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record StorageObjectEvent(String bucket, String name) {}
