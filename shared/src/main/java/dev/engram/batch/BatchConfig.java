package dev.engram.batch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code engram.batch.*}: limits and timings of batch jobs. */
@ConfigMapping(prefix = "engram.batch")
public interface BatchConfig {

    /** Longest input line in bytes (UTF-8, without the line break); a longer line becomes an error line. */
    @WithDefault("262144")
    int maxLineBytes();

    /** Most lines one job may have; a longer input is refused at submission (400 job_too_large). */
    @WithDefault("100000")
    int maxLines();

    /**
     * Where input files may be read from and where a storage event's {bucket, name} is found
     * ({@code <root>/<bucket>/<name>}). When absent, any path the function can read is accepted (HTTP) and
     * storage events are refused.
     */
    Optional<String> inputRoot();

    /** Where output files may be written; when absent, any writable path. */
    Optional<String> outputRoot();

    /** A line claimed by a runner that has not finished it in this time is claimed by another (a crashed runner's). */
    @WithDefault("60s")
    Duration claimIdle();

    /** How often an instance looks for unfinished jobs to work on (its own after a restart, other instances'). */
    @WithDefault("5s")
    Duration pollInterval();

    /** How often a running job's progress is logged. */
    @WithDefault("10s")
    Duration progressInterval();

    /** Jobs one instance works on at once (one thread each; the model runs one generation at a time anyway). */
    @WithDefault("2")
    int maxActiveJobs();

    /** Whether this instance runs jobs at all (false: it only accepts submissions and answers status). */
    @WithDefault("true")
    boolean runnerEnabled();

    /** How long finished jobs' keys (lines, results, status) stay in Redis. */
    @WithDefault("7d")
    Duration retention();
}
