package dev.engram.tasks.recall;

import java.util.List;

/** The memories put into a prompt: the system text to use, and the ids of the memories in it (best first). */
public record RecalledMemories(String system, List<String> ids) {}
