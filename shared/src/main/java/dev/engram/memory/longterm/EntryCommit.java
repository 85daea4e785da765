package dev.engram.memory.longterm;

import java.time.Duration;

/**
 * A queue entry whose memories {@link LongTermMemory#rememberOnce} writes at most once: the entry is
 * acknowledged, deleted and recorded as done in the same atomic step as the memories
 * ({@link LtmScripts#PROMOTE}). Every key shares the tenant's long-term-memory hash tag, so on Redis
 * Cluster the step runs on one shard.
 *
 * @param stream      the entry's stream, read by consumer group {@code group}
 * @param done        a sorted set of the entry ids done (score: when), kept for {@code keepDone}
 * @param counts      a hash whose field {@code countsField} (null for none) counts entries not yet done
 * @param attempts    a hash entry id → attempts, from which the entry is removed
 */
public record EntryCommit(
        String stream,
        String group,
        String entryId,
        String done,
        String counts,
        String countsField,
        String attempts,
        Duration keepDone) {}
