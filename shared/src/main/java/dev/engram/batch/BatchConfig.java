package dev.engram.batch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
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
     * The directory batch input files are read from. Each tenant reads only its own directory
     * {@code <input-root>/<tenant>/} (paths are relative to it; symbolic links are followed and must stay
     * inside; only regular files), and a storage event's object is {@code <input-root>/<tenant>/<bucket>/<name>}.
     * Unset (the default): file inputs and storage events are refused.
     */
    Optional<String> inputRoot();

    /**
     * The data directory batch results are written to. Each tenant writes only below
     * {@code <output-root>/<tenant>/}: an {@code output} a job names is relative to it, and a job that names
     * none writes {@code <input path>.results.jsonl} there (URL and stream inputs: {@code <jobId>.results.jsonl}).
     * Unset (the default): no job can be started, since none would have a place for its results.
     */
    Optional<String> outputRoot();

    /**
     * How often writing a job's results into its output file is tried before the job fails (state
     * {@code failed}, the reason in its status); the waits between tries double from 200 ms.
     */
    @WithDefault("5")
    int sinkAttempts();

    /** URL inputs. */
    Url url();

    /** {@code engram.batch.url.*}: whether, and from where, a job may read its input over HTTP. */
    interface Url {
        /** Whether a job's input may be an {@code https} URL at all (off: the function would fetch what a caller names). */
        @WithDefault("false")
        boolean enabled();

        /**
         * The hosts an input URL may name: exact names ({@code data.example.com}) or {@code *.example.com}
         * for any name below it. Empty (the default): no host.
         */
        Optional<List<String>> allowedHosts();

        /** Whether plain {@code http} URLs are allowed too (default: {@code https} only). */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Networks in CIDR notation ({@code 10.20.0.0/16}) an allowed host may resolve into although they
         * are not public: loopback, private, carrier-grade NAT or reserved addresses are refused outside
         * them. Link-local (cloud metadata services), multicast and unspecified addresses are refused always.
         */
        Optional<List<String>> internalNetworks();

        /** Most bytes an input URL's body may have. */
        @WithDefault("268435456")
        long maxBytes();

        /** Longest the whole download may take: connecting, every redirect and the body. */
        @WithDefault("60s")
        Duration timeout();

        /** Redirects followed, each new location checked like the first URL (0: none). */
        @WithDefault("3")
        int maxRedirects();
    }

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
