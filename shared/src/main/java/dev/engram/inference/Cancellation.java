package dev.engram.inference;

/** A flag the caller sets to end a generation after the token in flight. */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
