package dev.engram.tasks.extraction;

import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.promotion.PromotionConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * How folded or given turns become long-term memories. Lower-case constants: they are the JSON and
 * configuration values.
 */
public enum Strategy {
    /** Each exchange (a user turn with its answer) as it was: no model involved. */
    verbatim,
    /** One memory per span, written by the model. */
    summary,
    /** Standalone facts, each typed: semantic, preference or episodic (with its time). */
    discrete,
    /** Only the user's preferences. */
    preferences,
    /** Typed facts, as the caller's own instruction asks. */
    custom;

    /** The strategy named, or a 400 naming the choices. */
    public static Strategy parse(String name, String field) {
        for (Strategy s : values()) {
            if (s.name().equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new InvalidRequestException(
                "invalid_strategy",
                "'" + field + "' must be one of " + Arrays.toString(values()) + ", got '" + name + "'");
    }

    /**
     * The request's strategy if it names one, else the tenant's configured one, else the configured
     * default; {@code custom} only with an instruction.
     */
    public static Strategy resolve(String requested, String instruction, String tenant, PromotionConfig config) {
        Strategy s = requested != null
                ? parse(requested, "strategy")
                : parse(
                        config.tenant().containsKey(tenant)
                                ? config.tenant().get(tenant).strategy()
                                : config.strategy(),
                        "engram.memory.promotion.strategy");
        if ((s == custom) != (instruction != null && !instruction.isBlank())) {
            throw new InvalidRequestException(
                    "invalid_strategy", "'instruction' is given with the strategy 'custom' and only with it");
        }
        return s;
    }
}
