package dev.engram.memory.promotion;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * Promotion of working memory to long-term memory, off the request path: {@code engram.memory.promotion.*}.
 * Requests queue the turns ({@link PromotionQueue}); a memory worker extracts and stores them.
 */
@ConfigMapping(prefix = "engram.memory.promotion")
public interface PromotionConfig {

    /**
     * How queued turns become memories when neither the request nor the tenant names a strategy:
     * {@code verbatim} (each exchange as it was), {@code summary} (one memory per folded span, written
     * by the model), {@code discrete} (standalone typed facts), {@code preferences} (only the user's
     * preferences).
     */
    @WithDefault("verbatim")
    String strategy();

    /** Per-tenant settings, by tenant id: {@code engram.memory.promotion.tenant."acme".strategy=discrete}. */
    Map<String, TenantPromotion> tenant();

    /** One tenant's promotion settings. */
    interface TenantPromotion {
        /** The tenant's default strategy, used when a request names none (instead of {@code strategy}). */
        String strategy();
    }

    /**
     * Run the memory worker as a background loop in this instance. Off by default: a function that
     * freezes between calls (Lambda, Cloud Functions) drains the queue through {@code POST /memory-promote}
     * on a schedule or queue trigger instead; a long-lived instance (Knative with min-scale ≥ 1, a
     * container, the all-in-one process) turns it on.
     */
    @WithDefault("false")
    boolean worker();

    /** How long the background worker waits before looking again when the queue was empty. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How many queue entries a worker claims at a time. */
    @WithDefault("4")
    int claimBatch();

    /**
     * How long an entry claimed by a worker may go without being finished before another worker takes
     * it over (the first is presumed dead). Must exceed the longest extraction.
     */
    @WithDefault("60s")
    Duration claimIdle();

    /**
     * How many times an entry is tried (a worker that dies holding it counts too) before it is moved
     * to the tenant's dead letters, where an operator finds it.
     */
    @WithDefault("5")
    int maxAttempts();

    /** The wait before an entry that failed is tried again; doubled at each attempt, at most {@code claim-idle}. */
    @WithDefault("2s")
    Duration retryBackoff();

    /**
     * The most tokens the model may write for one extraction (its JSON document); never more than three
     * quarters of the model's context, and less when the prompt leaves less room.
     */
    @WithDefault("512")
    int extractionTokens();

    /** How long the ids of finished entries are kept to refuse a second run of an entry claimed again. */
    @WithDefault("24h")
    Duration keepDone();

    /** The most entries one {@code POST /memory-promote} call processes when the request gives no {@code max}. */
    @WithDefault("16")
    int drainMax();

    /** The longest one {@code POST /memory-promote} call keeps claiming new entries. */
    @WithDefault("20s")
    Duration drainTime();
}
