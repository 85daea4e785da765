package dev.engram.memory.longterm;

import dev.engram.memory.redis.LuaScript;

/**
 * The Lua scripts behind {@link LongTermMemory}. Each is short and bounded (no vector maths in Redis:
 * a Lua scan of 10k vectors blocks the server for ~300 ms); each write or forget bumps the tenant's
 * version in the same atomic step as the change, which is what lets warm instances trust their cache
 * until the version moves. The version is a HASH {epoch, n}: n counts changes, epoch is a random id
 * set by the first change, so a Redis that lost or flushed its data and counted up to the same n again
 * is still seen as different.
 */
final class LtmScripts {
    private LtmScripts() {}

    /**
     * Stores (or, for a dedup update, overwrites) one memory. KEYS: memory hash, vec, meta, version,
     * user set, session set. ARGV: id, text, tags, userId, sessionId, createdAt, source, vector bytes,
     * meta line, mode ('new' | 'update'), a fresh epoch (used only if the version has none). An update of a memory forgotten meanwhile returns -1 (the
     * caller then adds it as new). Returns the new version.
     */
    static final LuaScript WRITE = LuaScript.of("ltm write", """
            if ARGV[10] == 'update' and redis.call('EXISTS', KEYS[1]) == 0 then
              return -1
            end
            redis.call('HSET', KEYS[1], 'text', ARGV[2], 'tags', ARGV[3], 'createdAt', ARGV[6], 'source', ARGV[7], 'vec', ARGV[8])
            if ARGV[4] ~= '' then
              redis.call('HSET', KEYS[1], 'userId', ARGV[4])
              redis.call('SADD', KEYS[5], ARGV[1])
            end
            if ARGV[5] ~= '' then
              redis.call('HSET', KEYS[1], 'sessionId', ARGV[5])
              redis.call('SADD', KEYS[6], ARGV[1])
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[8])
            redis.call('HSET', KEYS[3], ARGV[1], ARGV[9])
            redis.call('HSETNX', KEYS[4], 'epoch', ARGV[11])
            return redis.call('HINCRBY', KEYS[4], 'n', 1)
            """);

    /**
     * Removes memories by id: their hash, vector, meta and scope-set entries (empty sets vanish by
     * themselves). KEYS: vec, meta, version. ARGV[1]: the tenant prefix; ARGV[2]: a fresh epoch;
     * ARGV[3..]: ids (the caller batches them). Returns how many existed.
     */
    static final LuaScript FORGET = LuaScript.of("ltm forget", """
            local removed = 0
            for i = 3, #ARGV do
              local id = ARGV[i]
              local key = ARGV[1] .. 'm:' .. id
              local scope = redis.call('HMGET', key, 'userId', 'sessionId')
              if scope[1] then redis.call('SREM', ARGV[1] .. 'user:' .. scope[1], id) end
              if scope[2] then redis.call('SREM', ARGV[1] .. 'session:' .. scope[2], id) end
              removed = removed + redis.call('DEL', key)
              redis.call('HDEL', KEYS[1], id)
              redis.call('HDEL', KEYS[2], id)
            end
            redis.call('HSETNX', KEYS[3], 'epoch', ARGV[2])
            redis.call('HINCRBY', KEYS[3], 'n', 1)
            return removed
            """);

    /**
     * What a warm instance caches, read in one atomic step so the version matches the data.
     * KEYS: version, vec, meta. Returns {{epoch, n} (nils when never written), HGETALL vec, HGETALL meta}.
     */
    static final LuaScript SNAPSHOT = LuaScript.of("ltm snapshot", """
            return {redis.call('HMGET', KEYS[1], 'epoch', 'n'), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}
            """);

    /** The stored fields of the memories named in ARGV[2..] (ARGV[1]: tenant prefix), k ≤ 50 of them. */
    static final LuaScript FETCH = LuaScript.of("ltm fetch", """
            local out = {}
            for i = 2, #ARGV do
              out[#out + 1] = redis.call('HMGET', ARGV[1] .. 'm:' .. ARGV[i], 'text', 'tags', 'userId', 'sessionId', 'createdAt', 'source')
            end
            return out
            """);
}
