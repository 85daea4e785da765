package dev.engram.tasks.extraction;

/** An extraction attempt that produced nothing usable: the entry is tried again, then dead-lettered. */
public class ExtractionFailed extends RuntimeException {
    public ExtractionFailed(String message) {
        super(message, null, false, false);
    }
}
