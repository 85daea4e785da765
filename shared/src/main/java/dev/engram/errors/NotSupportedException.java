package dev.engram.errors;

/** The request is valid but the configured backend cannot do it (e.g. label scoring on a remote server): HTTP 501. */
public class NotSupportedException extends EngramException {
    public NotSupportedException(String message) {
        super(501, "not_supported", message);
    }
}
