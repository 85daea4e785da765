package dev.engram.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the result table.
 *
 * @param section the row group (bandwidth, decode, prefill, startup, concurrency, memory, classify)
 * @param name what was measured
 * @param unit unit of {@code stats}
 * @param stats median and spread over the repeats
 * @param ratio the figure divided by its baseline measured in the same run (null when the row is a baseline)
 * @param ratioOf what {@code ratio} compares, e.g. "engine / Jlama generate"
 * @param goal the least {@code ratio} the project aims for (null: no goal)
 * @param note backend, flags, model and anything else needed to read the figure
 */
public record Row(
        String section, String name, String unit, Stats stats, Double ratio, String ratioOf, Double goal, String note) {

    public static Row of(String section, String name, String unit, Stats stats, String note) {
        return new Row(section, name, unit, stats, null, null, null, note);
    }

    public Row compared(double ratio, String ratioOf) {
        return new Row(section, name, unit, stats, ratio, ratioOf, null, note);
    }

    public Row compared(double ratio, String ratioOf, double goal) {
        return new Row(section, name, unit, stats, ratio, ratioOf, goal, note);
    }

    /** Whether the ratio reaches its goal (null when there is no goal); in the JSON too. */
    @JsonProperty
    public Boolean goalMet() {
        return goal == null || ratio == null ? null : ratio >= goal;
    }
}
