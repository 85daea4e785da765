package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.models.Models;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With the SDK switched on, one generate call with a session and useMemory is one span with children
 * for the memory read, the recall, the prefill, the decode and the memory write, in that order.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(GenerateTracingTest.Traced.class)
class GenerateTracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Models models;

    @Test
    void oneGenerateIsOneSpanWithItsStepsAsChildren() throws Exception {
        models.get();
        spans.reset();
        JsonPath answer = GenerateSamplingTest.generate(
                "prompt", "Once upon a time", "sessionId", "traced-1", "useMemory", true, "maxTokens", 6);
        assertThat(answer.getInt("usage.completionTokens")).isEqualTo(6);

        SpanData call = await("generate");
        List<String> children = List.of("memory.read", "memory.recall", "prefill", "decode", "memory.write");
        List<SpanData> steps = children.stream().map(this::await).toList();
        for (SpanData step : steps) {
            assertThat(step.getParentSpanId())
                    .as(step.getName() + " is a child of the call")
                    .isEqualTo(call.getSpanId());
            assertThat(step.getTraceId()).isEqualTo(call.getTraceId());
        }
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i).getStartEpochNanos())
                    .as(children.get(i) + " after " + children.get(i - 1))
                    .isGreaterThanOrEqualTo(steps.get(i - 1).getEndEpochNanos());
        }
        assertThat(call.getAttributes().asMap().toString())
                .contains("gen_ai.operation.name=generate")
                .contains("gen_ai.request.model=stories260K");
        SpanData decode = steps.get(3);
        assertThat(decode.getAttributes().asMap().toString()).contains("gen_ai.usage.output_tokens=6");
        assertThat(call.getEndEpochNanos()).isGreaterThanOrEqualTo(steps.get(4).getEndEpochNanos());
    }

    private SpanData await(String name) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<SpanData> found = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals(name))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("no span named " + name + "; have "
                + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }
}
