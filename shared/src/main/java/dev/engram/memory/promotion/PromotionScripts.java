package dev.engram.memory.promotion;

import dev.engram.redis.LuaScript;

/**
 * The Lua steps of the promotion queue. The step that applies an entry writes long-term memory too, so
 * it lives with it ({@code LtmScripts.PROMOTE}); every key here shares the tenant's hash tag.
 */
final class PromotionScripts {
    private PromotionScripts() {}

    /**
     * Queues an entry: creates the stream and group on first use, appends the entry, counts it pending
     * for its session. With a name, queues it only once: a name seen within ARGV[5] ms is not queued
     * again. KEYS: stream, counts, queued. ARGV: group, the counts field ('' for none), the name ('' for
     * none), now (ms), how long names are kept (ms), then field/value pairs. Returns the entry id, or ''
     * when the name was queued before. The entry goes in before anything else is written, so a failed
     * XADD leaves nothing behind.
     */
    static final LuaScript ENQUEUE = LuaScript.of("promotion enqueue", """
            if ARGV[3] ~= '' and redis.call('ZSCORE', KEYS[3], ARGV[3]) then
              return ''
            end
            if redis.call('EXISTS', KEYS[1]) == 0 then
              pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
            end
            local fields = {}
            for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
            local id = redis.call('XADD', KEYS[1], '*', unpack(fields))
            if ARGV[2] ~= '' then redis.call('HINCRBY', KEYS[2], ARGV[2], 1) end
            if ARGV[3] ~= '' then
              redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[5]))
            end
            return id
            """);

    /**
     * Up to ARGV[4] entries for consumer ARGV[2]: first ones another consumer has held longer than
     * ARGV[3] ms (a dead worker's, or a failed one whose backoff is over), so they are not starved by a
     * steady flow of new ones, then new ones; each counts an attempt. KEYS: stream, attempts. ARGV:
     * group, consumer, claim idle ms, most. Returns {id, fields, attempt, ...}; nothing when the
     * tenant's queue is gone (erased).
     */
    static final LuaScript CLAIM = LuaScript.of("promotion claim", """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
            local most = tonumber(ARGV[4])
            local out = {}
            local function take(entries)
              for _, e in ipairs(entries) do
                -- XAUTOCLAIM answers an entry deleted meanwhile as nil
                if e and e ~= false then
                  out[#out + 1] = e[1]
                  out[#out + 1] = e[2]
                  out[#out + 1] = redis.call('HINCRBY', KEYS[2], e[1], 1)
                end
              end
            end
            take(redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', most)[2])
            local left = most - #out / 3
            if left > 0 then
              local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', left, 'STREAMS', KEYS[1], '>')
              take(fresh and fresh[1] and fresh[1][2] or {})
            end
            return out
            """);

    /**
     * Moves an entry that failed every attempt to the dead letters, unless it is done already: appends
     * it with its error to the dead stream, acknowledges and deletes it, records it done (so a late
     * commit of it does nothing) and counts it failed for its session. KEYS: stream, dead, done, counts,
     * attempts. ARGV: group, entry id, now, pending field ('' for none), failed field ('' for none),
     * then the dead letter's field/value pairs. Returns 1 when moved, 0 when it was done.
     */
    static final LuaScript DEAD = LuaScript.of("promotion dead letter", """
            local done = redis.call('ZSCORE', KEYS[3], ARGV[2])
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('HDEL', KEYS[5], ARGV[2])
            if done then return 0 end
            local fields = {}
            for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
            redis.call('XADD', KEYS[2], '*', unpack(fields))
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
            if ARGV[4] ~= '' and redis.call('HINCRBY', KEYS[4], ARGV[4], -1) <= 0 then
              redis.call('HDEL', KEYS[4], ARGV[4])
            end
            if ARGV[5] ~= '' then redis.call('HINCRBY', KEYS[4], ARGV[5], 1) end
            return 1
            """);
}
