package dev.engram.batch;

/**
 * Between submitting a job and running it: {@link BatchJobs} hands each job it creates or resumes over
 * here, and the runner ({@link BatchRunner}) takes it up. A job handed over is already stored, so one
 * that is never taken up here is found by a runner's next poll.
 */
public interface JobQueue {
    /** Work on this job (a fresh submission or a resume) now rather than at the next poll. */
    void offer(BatchKeys keys);
}
