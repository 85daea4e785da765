package dev.engram.memory.longterm;

/**
 * What {@link LongTermMemory#rememberOnce} did with a queue entry's memories.
 *
 * @param added   new memories
 * @param updated existing memories whose text (and vector) the entry replaced, the older text kept as history
 * @param dropped memories that repeated one already stored (or another of the same entry) exactly
 * @param again   the entry was done before (claimed again from a worker thought dead): nothing written
 */
public record Promoted(int added, int updated, int dropped, boolean again) {}
