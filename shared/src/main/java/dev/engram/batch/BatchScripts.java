package dev.engram.batch;

import dev.engram.redis.LuaScript;

/** The Lua steps that make a job's progress atomic in Redis. */
final class BatchScripts {
    private BatchScripts() {}

    /**
     * Appends input lines once: entries are numbered by line ({@code <n>-0}), so a reload after a crash
     * skips what is there. Records each customId's first line; a later line with the same id carries that
     * line number in {@code d}. KEYS: in, ids, meta. ARGV: now, then (n, customId, field, value)...
     */
    static final LuaScript ADD_LINES = LuaScript.of("batch-add-lines", """
            local last = 0
            local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if #top > 0 then last = tonumber(string.match(top[1][1], '^(%d+)')) end
            for i = 2, #ARGV, 4 do
              local n = tonumber(ARGV[i])
              if n > last then
                local dup = ''
                if ARGV[i + 1] ~= '' then
                  local first = redis.call('HGET', KEYS[2], ARGV[i + 1])
                  if first then dup = first else redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i]) end
                end
                redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 'c', ARGV[i + 1], 'd', dup, ARGV[i + 2], ARGV[i + 3])
                last = n
              end
            end
            redis.call('HSET', KEYS[3], 'loadedAt', ARGV[1], 'loaded', last)
            return last
            """);

    /**
     * One step of a runner: while the job is running, up to ARGV[4] new lines for this consumer, else
     * as many lines another consumer has held longer than the claim idle time (a crashed runner's).
     * Returns {state, entryId, fields, entryId, fields...}, or {state} when there is nothing to take.
     * KEYS: meta, in. ARGV: group, consumer, claim idle ms, most lines.
     */
    static final LuaScript CLAIM = LuaScript.of("batch-claim", """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state ~= 'running' then return {state or 'missing'} end
            local out = {state}
            local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[2], '>')
            local entries = fresh and fresh[1] and fresh[1][2] or {}
            if #entries == 0 then
              entries = redis.call('XAUTOCLAIM', KEYS[2], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])[2]
            end
            for _, e in ipairs(entries) do
              -- XAUTOCLAIM answers an entry deleted meanwhile as nil
              if e then out[#out + 1] = e[1]; out[#out + 1] = e[2] end
            end
            return out
            """);

    /**
     * A line's result, exactly once: the first commit for an input entry appends the result and counts
     * it, any later one (a line claimed again from a runner thought dead) changes nothing; both
     * acknowledge the entry. KEYS: in, out, done, meta. ARGV: group, entryId, result JSON, failed (0/1), now, consumer
     * (each runner's share is counted in {@code by:<consumer>}).
     */
    static final LuaScript COMMIT = LuaScript.of("batch-commit", """
            if redis.call('SADD', KEYS[3], ARGV[2]) == 1 then
              redis.call('XADD', KEYS[2], '*', 'r', ARGV[3])
              redis.call('HINCRBY', KEYS[4], 'done', 1)
              if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[4], 'failed', 1) end
              redis.call('HSET', KEYS[4], 'lastDoneAt', ARGV[5])
              redis.call('HINCRBY', KEYS[4], 'by:' .. ARGV[6], 1)
            end
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            return 1
            """);

    /** Takes or renews the sink lease. KEYS: sink. ARGV: owner, lease ms. Returns 1 when held. */
    static final LuaScript LEASE = LuaScript.of("batch-lease", """
            local cur = redis.call('GET', KEYS[1])
            if not cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            return 0
            """);

    /** Records how far the file holds the results, only while holding the lease. KEYS: sink, meta. ARGV: owner, id, offset, written. */
    static final LuaScript CHECKPOINT = LuaScript.of("batch-checkpoint", """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[2], 'sinkId', ARGV[2], 'sinkOffset', ARGV[3], 'written', ARGV[4])
            return 1
            """);

    /**
     * Changes the state if it is the expected one, setting further fields. KEYS: meta. ARGV: expected
     * states (comma-separated), new state, then field/value pairs. Returns 1 when changed.
     */
    static final LuaScript TRANSITION = LuaScript.of("batch-transition", """
            local state = redis.call('HGET', KEYS[1], 'state')
            if not state or not string.find(',' .. ARGV[1] .. ',', ',' .. state .. ',', 1, true) then return 0 end
            redis.call('HSET', KEYS[1], 'state', ARGV[2])
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """);
}
