package dev.engram.errors;

/**
 * A failure that a caller can act on: it carries the HTTP status, a stable machine-readable code and a
 * message that names the problem. Every binding (HTTP, CloudEvents, Lambda) turns it into the same
 * {@code {"error": code, "message": message}} body.
 */
public class EngramException extends RuntimeException {
    private final int status;
    private final String code;

    public EngramException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public EngramException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /**
     * Carries the code: the Lambda runtime reports a failed invocation as
     * {@code {"errorType", "errorMessage"}} built from this text (Funqy wraps the exception).
     */
    @Override
    public String toString() {
        return getClass().getName() + ": " + code + ": " + getMessage();
    }

    public ErrorBody body() {
        return new ErrorBody(code, getMessage());
    }
}
