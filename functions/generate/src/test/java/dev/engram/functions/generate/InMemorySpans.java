package dev.engram.functions.generate;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The OpenTelemetry SDK's own in-memory exporter as a CDI bean: Quarkus's default {@code cdi} trace
 * exporter sends every span to it. Idle unless a test profile turns the SDK on (GenerateTracingTest).
 */
@ApplicationScoped
public class InMemorySpans {
    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
