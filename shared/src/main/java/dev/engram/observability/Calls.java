package dev.engram.observability;

import dev.engram.errors.EngramException;
import dev.engram.inference.Cancellation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * One function call as operators see it: the request's deadline ({@code engram.request.timeout}), a
 * trace span named after the operation (parent of the memory, prefill and decode spans), the
 * {@code gen_ai.server.request.duration} timer and the rejected-requests counter. Tasks wrap their
 * work in {@link #run}, which hands it the call's {@link Cancellation}: the work passes it to every
 * model call it makes (several for a summary or a fold), so they share its deadline. What the call does
 * on its thread shares its span.
 */
@ApplicationScoped
public class Calls {
    private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

    private final MeterRegistry registry;
    private final Tracer tracer;
    private final RequestConfig config;

    public Calls(MeterRegistry registry, Tracer tracer, RequestConfig config) {
        this.registry = registry;
        this.tracer = tracer;
        this.config = config;
    }

    /** What the current thread's call is doing: its operation, and the model once one was used. */
    static final class Call {
        final String operation;
        final Cancellation cancellation;
        volatile String model = "none";

        Call(String operation, Cancellation cancellation) {
            this.operation = operation;
            this.cancellation = cancellation;
        }
    }

    /** The call running on this thread, or null outside one. */
    static Call current() {
        return CURRENT.get();
    }

    /** Runs {@code work} as one call of {@code operation}, handing it a cancellation with a fresh deadline. */
    public <T> T run(String operation, Function<Cancellation, T> work) {
        return run(operation, Cancellation.within(config.timeout()), work);
    }

    /**
     * Runs {@code work} as one call of {@code operation} whose generations use {@code cancellation}
     * (the OpenAI surface passes the one its client's hang-up sets); the request deadline is applied to it.
     */
    public <T> T run(String operation, Cancellation cancellation, Function<Cancellation, T> work) {
        Call outer = CURRENT.get();
        if (outer != null) {
            // a call inside a call (a task using another): the outer one measures, and its deadline holds
            return work.apply(outer.cancellation);
        }
        cancellation.limit(config.timeout());
        Call call = new Call(operation, cancellation);
        Span span = tracer.spanBuilder(operation)
                .setAttribute("gen_ai.operation.name", operation)
                .startSpan();
        long start = System.nanoTime();
        String error = "none";
        CURRENT.set(call);
        try (Scope scope = span.makeCurrent()) {
            return work.apply(cancellation);
        } catch (RuntimeException | Error e) {
            error = e instanceof EngramException engram
                    ? engram.code()
                    : e.getClass().getSimpleName();
            span.recordException(e).setStatus(StatusCode.ERROR, error);
            if (e instanceof EngramException engram && engram.status() == 503) {
                registry.counter(Meters.REJECTED, "reason", engram.code(), Meters.OPERATION, operation)
                        .increment();
            }
            throw e;
        } finally {
            CURRENT.remove();
            span.setAttribute("gen_ai.request.model", call.model);
            span.end();
            Timer.builder(Meters.REQUEST_DURATION)
                    .description("Duration of a function call, queue wait included")
                    .tags(Meters.OPERATION, operation, Meters.MODEL, call.model, "error.type", error)
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** A child span of the current call (memory read, recall, memory write); close it when the step ends. */
    public Span step(String name) {
        return tracer.spanBuilder(name).startSpan();
    }
}
