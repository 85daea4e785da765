package dev.engram.inference.decoding;

import java.util.List;

/**
 * Watches the generated text for stop strings. Text is released to the listener only once it can no
 * longer be the beginning of a stop string, so a streamed answer never shows part of one.
 */
public final class StopSequences {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    public StopSequences(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Appends generated text; returns the part that is now safe to release. */
    public String append(String piece) {
        int searchFrom = Math.max(0, text.length() - longest() + 1);
        text.append(piece);
        int cut = firstStop(searchFrom);
        if (cut >= 0) {
            stopped = true;
            text.setLength(cut);
            return release(cut);
        }
        return release(text.length() - heldBack());
    }

    public boolean stopped() {
        return stopped;
    }

    /** Everything not yet released (at the end of a generation that did not stop on a string). */
    public String flush() {
        return release(text.length());
    }

    public String text() {
        return text.toString();
    }

    private String release(int upTo) {
        if (upTo <= released) {
            return "";
        }
        String out = text.substring(released, upTo);
        released = upTo;
        return out;
    }

    private int firstStop(int from) {
        int best = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest suffix of the text that is a proper prefix of some stop string. */
    private int heldBack() {
        int hold = 0;
        for (String stop : stops) {
            for (int len = Math.min(stop.length() - 1, text.length()); len > hold; len--) {
                if (text.substring(text.length() - len).equals(stop.substring(0, len))) {
                    hold = len;
                    break;
                }
            }
        }
        return hold;
    }

    private int longest() {
        return stops.stream().mapToInt(String::length).max().orElse(1);
    }
}
