package dev.engram.auth;

import dev.engram.errors.EngramException;

/** 401 {@code unauthorized} (HTTP adds {@code WWW-Authenticate: Bearer}), or 403 {@code forbidden}. */
public final class Unauthorized extends EngramException {
    private Unauthorized(int status, String code, String message) {
        super(status, code, message);
    }

    public static Unauthorized missing(String message) {
        return new Unauthorized(401, "unauthorized", message);
    }

    public static Unauthorized forbidden(String message) {
        return new Unauthorized(403, "forbidden", message);
    }
}
