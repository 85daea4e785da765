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
     * Stores (or, for a dedup update, overwrites) one memory: the Lua function {@code store(K, A)} that
     * {@link #WRITE} and {@link #PROMOTE} call. A new memory takes a freed slot if there is one, else
     * the next slot (rows + 1); an update keeps its slot and, when its text changes, appends the older
     * text to the record's {@code history} (a JSON array of at most A[17] texts, oldest first). K: memory
     * hash, slots, version, user set, session set, free list. A: id, text, tags, userId, sessionId,
     * createdAt, source, float32 vector bytes, meta line (stored behind its row number), mode ('new' |
     * 'update'), a fresh epoch (used only if the version has none), the int8 row, the tenant prefix, rows
     * per segment, the embedding model of the vector, the model of a tenant stored before models were
     * recorded (rows but no {@code model}), the history limit. An update of a memory forgotten meanwhile
     * returns -1. A tenant whose memories come from another model is left untouched and that model's id
     * is returned (a string); else the tenant's model is set and the new version n returned.
     */
    private static final String STORE = """
            local function store(K, A)
              local stored = redis.call('HGET', K[3], 'model')
              if not stored and tonumber(redis.call('HGET', K[3], 'rows') or '0') > 0 then
                stored = A[16]
              end
              if stored and stored ~= A[15] then
                return stored
              end
              if A[10] == 'update' then
                local old = redis.call('HGET', K[1], 'text')
                if not old then
                  return -1
                end
                if old ~= A[2] then
                  local history = cjson.decode(redis.call('HGET', K[1], 'history') or '[]')
                  table.insert(history, old)
                  while #history > tonumber(A[17]) do table.remove(history, 1) end
                  redis.call('HSET', K[1], 'history', cjson.encode(history))
                end
              end
              redis.call('HSET', K[3], 'model', A[15])
              local slot = redis.call('HGET', K[2], A[1])
              if not slot then
                slot = redis.call('RPOP', K[6])
                if not slot then
                  slot = redis.call('HINCRBY', K[3], 'rows', 1) - 1
                end
                redis.call('HSET', K[2], A[1], slot)
              end
              slot = tonumber(slot)
              local per = tonumber(A[14])
              local seg = math.floor(slot / per)
              local row = slot % per
              redis.call('SETRANGE', A[13] .. 'vec:' .. seg, row * #A[12], A[12])
              redis.call('HSET', A[13] .. 'meta:' .. seg, row, row .. '|' .. A[9])
              redis.call('HSET', K[1], 'text', A[2], 'tags', A[3], 'createdAt', A[6], 'source', A[7], 'vec', A[8])
              if A[4] ~= '' then
                redis.call('HSET', K[1], 'userId', A[4])
                redis.call('SADD', K[4], A[1])
              end
              if A[5] ~= '' then
                redis.call('HSET', K[1], 'sessionId', A[5])
                redis.call('SADD', K[5], A[1])
              end
              redis.call('HSETNX', K[3], 'epoch', A[11])
              local n = redis.call('HINCRBY', K[3], 'n', 1)
              redis.call('HSET', K[3], 's:' .. seg, n)
              return n
            end
            """;

    /** Arguments of one memory to {@code store}: {@link #WRITE}'s ARGV, one group per memory in {@link #PROMOTE}. */
    static final int STORE_ARGS = 17;

    /** One memory: {@code store} with KEYS and ARGV as described there. */
    static final LuaScript WRITE = LuaScript.of("ltm write", STORE + "return store(KEYS, ARGV)\n");

    /**
     * A queue entry's memories, all or none, at most once per entry: the memories and the entry's
     * acknowledgement in one atomic step, so a worker killed at any instant either applied the entry
     * (and acknowledged it) or left no trace; an entry already recorded as done (claimed again from a
     * worker thought dead) writes nothing and is acknowledged again. KEYS: version, slots, free list
     * (long-term memory), the entry's stream, its done set (ZSET entry id to time), its counts hash, its
     * attempts hash; all share the tenant's hash tag. ARGV: group, entry id, now, how long done ids are
     * kept (ms), the counts field to decrement ('' for none), then per memory {@link #STORE_ARGS}
     * arguments of {@code store} and a fresh id used when an update's target was forgotten meanwhile.
     * Returns {'done', n written}, {'again'} for an entry already done, or {'model', stored model}
     * (nothing written: the tenant's memories are of another model).
     */
    static final LuaScript PROMOTE = LuaScript.of("ltm promote", STORE + """
            local function ack()
              redis.call('XACK', KEYS[4], ARGV[1], ARGV[2])
              redis.call('XDEL', KEYS[4], ARGV[2])
              redis.call('HDEL', KEYS[7], ARGV[2])
            end
            if redis.call('ZSCORE', KEYS[5], ARGV[2]) then
              ack()
              return {'again'}
            end
            local written = 0
            for i = 6, #ARGV, 18 do
              local A = {}
              for j = 0, 16 do A[j + 1] = ARGV[i + j] end
              local prefix = A[13]
              local K = {prefix .. 'm:' .. A[1], KEYS[2], KEYS[1], prefix .. 'user:' .. A[4], prefix .. 'session:' .. A[5], KEYS[3]}
              local r = store(K, A)
              if r == -1 then
                A[1] = ARGV[i + 17]
                A[10] = 'new'
                K[1] = prefix .. 'm:' .. A[1]
                r = store(K, A)
              end
              if type(r) == 'string' then
                return {'model', r}
              end
              written = written + 1
            end
            redis.call('ZADD', KEYS[5], ARGV[3], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[4]))
            ack()
            if ARGV[5] ~= '' and redis.call('HINCRBY', KEYS[6], ARGV[5], -1) <= 0 then
              redis.call('HDEL', KEYS[6], ARGV[5])
            end
            return {'done', written}
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
              out[#out + 1] = redis.call('HMGET', ARGV[1] .. 'm:' .. ARGV[i], 'text', 'tags', 'userId', 'sessionId', 'createdAt', 'source', 'history')
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
