package dev.engram.errors;

/** The JSON body of every error response. */
public record ErrorBody(String error, String message) {}
