package dev.engram.observability;

import dev.engram.inference.EngineStatus;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.models.Models;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.TimeUnit;

/**
 * Turns what the engines report ({@link InferenceObserver}) into the GenAI metrics and the
 * {@code prefill} / {@code decode} spans, and keeps the gauges on the model's queue. Also the place
 * other parts record through: {@link #batchLine} for batch progress.
 */
@Startup // the gauges exist from the start, before the first generation
@ApplicationScoped
public class Observability implements InferenceObserver {
    private final MeterRegistry registry;
    private final Tracer tracer;
    /** Held here: Micrometer keeps only a weak reference to a gauge's state. */
    private final Instance<Models> models;

    public Observability(MeterRegistry registry, Tracer tracer, Instance<Models> models) {
        this.registry = registry;
        this.tracer = tracer;
        this.models = models;
        // A remote engine reports 0 for both: the server queues and batches for itself.
        Gauge.builder(Meters.QUEUE_DEPTH, models, m -> status(m).waiting())
                .description("Requests waiting for the model")
                .register(registry);
        Gauge.builder(Meters.ACTIVE, models, m -> status(m).running())
                .description("Generations running now (the batch size)")
                .register(registry);
    }

    private static EngineStatus status(Instance<Models> models) {
        LanguageModel model = models.isResolvable() ? models.get().loaded() : null;
        return model == null ? new EngineStatus("none", 0, 0) : model.status();
    }

    /**
     * Counts one batch line ({@code engram.batch.lines}, Prometheus {@code engram_batch_lines_total}) by
     * {@code status} (e.g. ok, failed): the batch function's progress.
     */
    public void batchLine(String status) {
        registry.counter(Meters.BATCH_LINES, "status", status).increment();
    }

    @Override
    public Generation begin(String model) {
        Calls.Call call = Calls.current();
        if (call != null) {
            call.model = model;
        }
        return new Observed(call == null ? "none" : call.operation, model, System.nanoTime());
    }

    /** One generation's meters and spans. */
    private final class Observed implements Generation {
        private final String operation;
        private final String model;
        private final long begun;
        private long admitted;
        private Span phase;

        Observed(String operation, String model, long begun) {
            this.operation = operation;
            this.model = model;
            this.begun = begun;
        }

        private Timer timer(String name, String description) {
            return Timer.builder(name)
                    .description(description)
                    .tags(Meters.OPERATION, operation, Meters.MODEL, model)
                    .register(registry);
        }

        @Override
        public void admitted(long waitNanos) {
            admitted = System.nanoTime();
            timer(Meters.QUEUE_WAIT, "Time generations waited for the model").record(waitNanos, TimeUnit.NANOSECONDS);
            phase = tracer.spanBuilder("prefill")
                    .setAttribute(Meters.MODEL, model)
                    .startSpan();
        }

        @Override
        public void prefilled() {
            timer(Meters.TIME_TO_FIRST_TOKEN, "Time to the first generated token, queue wait included")
                    .record(System.nanoTime() - begun, TimeUnit.NANOSECONDS);
            endPhase(null);
            phase = tracer.spanBuilder("decode")
                    .setAttribute(Meters.MODEL, model)
                    .startSpan();
        }

        @Override
        public void finished(GenerationResult result) {
            tokens("input", result.promptTokens());
            tokens("output", result.completionTokens());
            long decodeNanos = result.totalNanos() - result.timeToFirstTokenNanos();
            if (result.completionTokens() > 1 && decodeNanos > 0) {
                timer(Meters.TIME_PER_OUTPUT_TOKEN, "Decode time per output token after the first")
                        .record(decodeNanos / (result.completionTokens() - 1), TimeUnit.NANOSECONDS);
            }
            if (phase != null) {
                phase.setAttribute("gen_ai.usage.input_tokens", result.promptTokens())
                        .setAttribute("gen_ai.usage.output_tokens", result.completionTokens())
                        .setAttribute(
                                "gen_ai.response.finish_reasons",
                                result.finishReason().json());
            }
            endPhase(null);
        }

        @Override
        public void failed(Throwable error) {
            endPhase(error);
        }

        private void tokens(String type, int count) {
            DistributionSummary.builder(Meters.TOKEN_USAGE)
                    .description("Tokens per generation, by type")
                    .tags(Meters.OPERATION, operation, Meters.MODEL, model, Meters.TOKEN_TYPE, type)
                    .register(registry)
                    .record(count);
        }

        private void endPhase(Throwable error) {
            if (phase != null) {
                if (error != null) {
                    phase.recordException(error).setStatus(StatusCode.ERROR);
                }
                phase.end();
                phase = null;
            }
        }
    }
}
