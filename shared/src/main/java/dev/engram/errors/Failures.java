package dev.engram.errors;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What a failed request's exception means to its caller, whatever wraps it (Funqy wraps what a
 * function throws in its own ApplicationException; Vert.x and Jackson wrap causes too).
 */
public final class Failures {
    private Failures() {}

    /**
     * The failure as the caller should see it, or null when it is unexpected: an EngramException (however
     * deeply wrapped), or an unreadable body (a Jackson exception: Funqy's CloudEvent binding passes it on).
     */
    public static EngramException known(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof EngramException engram) {
                return engram;
            }
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof JsonProcessingException bad) {
                return new InvalidRequestException("invalid_json", "Invalid JSON body: " + BadJson.describe(bad));
            }
        }
        return null;
    }

    /** As {@link #known}, with an unexpected failure as a 500 {@code internal_error} naming its class. */
    public static EngramException of(Throwable failure) {
        EngramException known = known(failure);
        return known != null
                ? known
                : new EngramException(
                        500,
                        "internal_error",
                        "The function failed unexpectedly: "
                                + failure.getClass().getSimpleName());
    }

    /** Whether the failure is worth an ERROR in the log: a 5xx other than "come back later". */
    public static boolean unexpected(EngramException error) {
        return error.status() >= 500 && !(error instanceof UnavailableException);
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
