package dev.engram.batch;

/** One line of a job's output, in Engram's form ({@link ResultLine}) or OpenAI's ({@link OpenAiResultLine}). */
public sealed interface BatchResult permits ResultLine, OpenAiResultLine {

    /** Whether the line failed (counted in the job's {@code failed}). */
    boolean failed();
}
