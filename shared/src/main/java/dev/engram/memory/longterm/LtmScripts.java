package dev.engram.memory.longterm;

import dev.engram.redis.LuaScript;

/**
 * The Lua scripts behind {@link MemoryRecords} and {@link Reembedder}. Each is short and bounded — O(1) per memory, a
 * SETRANGE of one fixed-size row, never a scan and no vector maths in Redis (a Lua scan of 10k vectors
 * blocks the server for ~300 ms) — and each write or forget bumps the tenant's version, and the
 * version of every segment it touched, in the same atomic step as the change: that is what lets warm
 * instances trust their cached segments until a version moves. The version is a HASH {epoch, n, rows,
 * s:<seg>}: n counts changes, epoch is a random id set by the first change, so a Redis that lost or
 * flushed its data and counted up to the same n again is still seen as different. Segment and scope
 * keys are built from the tenant prefix inside the scripts; its hash tag keeps them in the slot of the
 * declared keys (Redis Cluster).
 */
final class LtmScripts {
    private LtmScripts() {}

    /**
     * Stores (or, for a dedup update, overwrites) one memory. A new memory takes a freed slot if there
     * is one, else the next slot (rows + 1); an update keeps its slot. KEYS: memory hash, slots,
     * version, user set, session set, free list. ARGV: id, text, tags, userId, sessionId, createdAt,
     * source, float32 vector bytes, meta line (stored behind its row number), mode ('new' | 'update'), a fresh epoch (used only if the
     * version has none), the int8 row, the tenant prefix, rows per segment. An update of a memory
     * forgotten meanwhile returns -1 (the caller then adds it as new). ARGV[15]: the embedding model
     * of the vector, ARGV[16]: the model of a tenant stored before models were recorded (rows but no
     * {@code model}). A tenant whose memories come from another model is left untouched and that
     * model's id is returned (a string); else the tenant's model is set and the new version n returned.
     */
    static final LuaScript WRITE = LuaScript.of("ltm write", """
            local stored = redis.call('HGET', KEYS[3], 'model')
            if not stored and tonumber(redis.call('HGET', KEYS[3], 'rows') or '0') > 0 then
              stored = ARGV[16]
            end
            if stored and stored ~= ARGV[15] then
              return stored
            end
            if ARGV[10] == 'update' and redis.call('EXISTS', KEYS[1]) == 0 then
              return -1
            end
            redis.call('HSET', KEYS[3], 'model', ARGV[15])
            local slot = redis.call('HGET', KEYS[2], ARGV[1])
            if not slot then
              slot = redis.call('RPOP', KEYS[6])
              if not slot then
                slot = redis.call('HINCRBY', KEYS[3], 'rows', 1) - 1
              end
              redis.call('HSET', KEYS[2], ARGV[1], slot)
            end
            slot = tonumber(slot)
            local per = tonumber(ARGV[14])
            local seg = math.floor(slot / per)
            local row = slot % per
            redis.call('SETRANGE', ARGV[13] .. 'vec:' .. seg, row * #ARGV[12], ARGV[12])
            redis.call('HSET', ARGV[13] .. 'meta:' .. seg, row, row .. '|' .. ARGV[9])
            redis.call('HSET', KEYS[1], 'text', ARGV[2], 'tags', ARGV[3], 'createdAt', ARGV[6], 'source', ARGV[7], 'vec', ARGV[8])
            if ARGV[4] ~= '' then
              redis.call('HSET', KEYS[1], 'userId', ARGV[4])
              redis.call('SADD', KEYS[4], ARGV[1])
            end
            if ARGV[5] ~= '' then
              redis.call('HSET', KEYS[1], 'sessionId', ARGV[5])
              redis.call('SADD', KEYS[5], ARGV[1])
            end
            redis.call('HSETNX', KEYS[3], 'epoch', ARGV[11])
            local n = redis.call('HINCRBY', KEYS[3], 'n', 1)
            redis.call('HSET', KEYS[3], 's:' .. seg, n)
            return n
            """);

    /**
     * Removes memories by id: their hash and scope-set entries; their row is zeroed, its meta entry
     * (the live flag) removed and the slot pushed on the free list. When the tenant has no memory left
     * its segments, free list and segment versions go too (rows back to 0), so an emptied tenant keeps
     * only its version, free to take memories of any embedding model. KEYS: slots, version, free list. ARGV[1]: the tenant prefix; ARGV[2]: a fresh
     * epoch; ARGV[3]: rows per segment; ARGV[4]: an all-zero int8 row; ARGV[5..]: ids (the caller
     * batches them). Returns how many existed.
     */
    static final LuaScript FORGET = LuaScript.of("ltm forget", """
            local removed = 0
            local per = tonumber(ARGV[3])
            local touched = {}
            for i = 5, #ARGV do
              local id = ARGV[i]
              local key = ARGV[1] .. 'm:' .. id
              local scope = redis.call('HMGET', key, 'userId', 'sessionId')
              if scope[1] then redis.call('SREM', ARGV[1] .. 'user:' .. scope[1], id) end
              if scope[2] then redis.call('SREM', ARGV[1] .. 'session:' .. scope[2], id) end
              removed = removed + redis.call('DEL', key)
              local slot = redis.call('HGET', KEYS[1], id)
              if slot then
                redis.call('HDEL', KEYS[1], id)
                slot = tonumber(slot)
                local seg = math.floor(slot / per)
                local row = slot % per
                redis.call('SETRANGE', ARGV[1] .. 'vec:' .. seg, row * #ARGV[4], ARGV[4])
                redis.call('HDEL', ARGV[1] .. 'meta:' .. seg, row)
                redis.call('RPUSH', KEYS[3], slot)
                touched[seg] = true
              end
            end
            redis.call('HSETNX', KEYS[2], 'epoch', ARGV[2])
            local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
            if redis.call('EXISTS', KEYS[1]) == 0 then
              local rows = tonumber(redis.call('HGET', KEYS[2], 'rows') or '0')
              for seg = 0, math.floor((rows - 1) / per) do
                redis.call('DEL', ARGV[1] .. 'vec:' .. seg, ARGV[1] .. 'meta:' .. seg)
                redis.call('HDEL', KEYS[2], 's:' .. seg)
              end
              redis.call('DEL', KEYS[3])
              redis.call('HSET', KEYS[2], 'rows', 0)
              redis.call('HDEL', KEYS[2], 'model', 'reembed', 'cursor')
            else
              for seg in pairs(touched) do
                redis.call('HSET', KEYS[2], 's:' .. seg, n)
              end
            end
            return removed
            """);

    /**
     * The stored fields of the memories named in ARGV[2..] (ARGV[1]: tenant prefix), k ≤ 50 of them.
     * KEYS: version, unread: it routes the script to the tenant's shard on Redis Cluster.
     */
    static final LuaScript FETCH = LuaScript.of("ltm fetch", """
            local out = {}
            for i = 2, #ARGV do
              out[#out + 1] = redis.call('HMGET', ARGV[1] .. 'm:' .. ARGV[i], 'text', 'tags', 'userId', 'sessionId', 'createdAt', 'source')
            end
            return out
            """);

    /**
     * Starts re-embedding a tenant with model ARGV[1] if its memories are from ARGV[2] (the model
     * read before; ARGV[3]: the model of a tenant stored before models were recorded): the tenant's
     * model becomes the new one at once (writes of the new model are accepted from then on), and
     * {@code reembed} (the old model) and {@code cursor} (the next slot to re-embed) mark the work as
     * under way. KEYS: version. Returns 1, or 0 when the tenant's model changed meanwhile.
     */
    static final LuaScript REEMBED_START = LuaScript.of("ltm reembed start", """
            local stored = redis.call('HGET', KEYS[1], 'model')
            if not stored and tonumber(redis.call('HGET', KEYS[1], 'rows') or '0') > 0 then
              stored = ARGV[3]
            end
            if stored ~= ARGV[2] then
              return 0
            end
            redis.call('HSET', KEYS[1], 'model', ARGV[1], 'reembed', ARGV[2], 'cursor', 0)
            return 1
            """);

    /**
     * Stores re-embedded vectors while the tenant's model is still ARGV[2] and a re-embed is under way.
     * ARGV[1]: the tenant prefix, ARGV[2]: the model, ARGV[3]: rows per segment, ARGV[4]: the cursor
     * after this batch, then per memory: id, the text that was embedded, float32 bytes, int8 row. A
     * memory forgotten or rewritten since its text was read is skipped (a rewrite already carries a
     * vector of the new model). The row goes to the memory's current slot. KEYS: version, slots.
     * Returns how many were stored, or -1 when the tenant's model or the re-embed changed meanwhile.
     */
    static final LuaScript REEMBED_ROWS = LuaScript.of("ltm reembed rows", """
            if redis.call('HGET', KEYS[1], 'model') ~= ARGV[2] or not redis.call('HGET', KEYS[1], 'reembed') then
              return -1
            end
            local per = tonumber(ARGV[3])
            local stored = 0
            local touched = {}
            for i = 5, #ARGV, 4 do
              local key = ARGV[1] .. 'm:' .. ARGV[i]
              local slot = redis.call('HGET', KEYS[2], ARGV[i])
              if slot and redis.call('HGET', key, 'text') == ARGV[i + 1] then
                slot = tonumber(slot)
                local seg = math.floor(slot / per)
                redis.call('HSET', key, 'vec', ARGV[i + 2])
                redis.call('SETRANGE', ARGV[1] .. 'vec:' .. seg, (slot % per) * #ARGV[i + 3], ARGV[i + 3])
                touched[seg] = true
                stored = stored + 1
              end
            end
            local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
            for seg in pairs(touched) do
              redis.call('HSET', KEYS[1], 's:' .. seg, n)
            end
            if tonumber(ARGV[4]) > tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') then
              redis.call('HSET', KEYS[1], 'cursor', ARGV[4])
            end
            return stored
            """);

    /** Ends a re-embed of model ARGV[1] whose cursor reached the slot high-water mark. KEYS: version. Returns 1 if it ended. */
    static final LuaScript REEMBED_END = LuaScript.of("ltm reembed end", """
            if redis.call('HGET', KEYS[1], 'model') ~= ARGV[1] then
              return 0
            end
            if tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') < tonumber(redis.call('HGET', KEYS[1], 'rows') or '0') then
              return 0
            end
            redis.call('HDEL', KEYS[1], 'reembed', 'cursor')
            return 1
            """);
}
