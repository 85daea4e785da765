package dev.engram.errors;

/** The request is malformed or breaks a documented limit: HTTP 400. */
public class InvalidRequestException extends EngramException {
    public InvalidRequestException(String message) {
        super(400, "invalid_request", message);
    }

    public InvalidRequestException(String code, String message) {
        super(400, code, message);
    }
}
