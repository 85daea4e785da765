package dev.engram.functions.generate;

import dev.engram.auth.Access;
import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.tasks.extraction.Drained;
import dev.engram.tasks.extraction.PromotionWorker;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The memory worker, which turns queued working-memory promotions into long-term memories. It lives
 * with generate because it needs both the language model (to extract) and the embedder (to store).
 * In a long-lived instance it runs as a background loop when {@code engram.memory.promotion.worker} is
 * on; {@code POST /memory-promote} (operators; a schedule or queue trigger on platforms that freeze
 * between calls) drains a bounded amount per call.
 */
@ApplicationScoped
public class MemoryWorkerFunction {
    private static final int MAX_DRAIN = 1000;

    private final PromotionWorker worker;
    private final PromotionConfig config;
    private final Access access;

    public MemoryWorkerFunction(PromotionWorker worker, PromotionConfig config, Access access) {
        this.worker = worker;
        this.config = config;
        this.access = access;
    }

    @Startup
    void start() {
        worker.startRunning();
    }

    @Funq("memory-promote")
    public Drained promote(PromoteRequest request) {
        access.requireAdmin();
        int most = request == null || request.max() == null ? config.drainMax() : request.max();
        if (most < 1 || most > MAX_DRAIN) {
            throw new InvalidRequestException(
                    "out_of_range", "'max' must be between 1 and " + MAX_DRAIN + ", got " + most);
        }
        return worker.drain(most, config.drainTime());
    }
}
