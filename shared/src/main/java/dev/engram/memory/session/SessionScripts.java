package dev.engram.memory.session;

import dev.engram.redis.LuaScript;

/**
 * The Lua scripts behind {@link SessionStore}. Each runs atomically inside Redis (no other command
 * runs between its steps), which is what makes a session safe under concurrent requests without
 * WATCH/MULTI retry loops: an append pushes all of its turns in one go, so pairs from two requests
 * never interleave, and a fold checks what it is about to fold in the same step that folds it.
 *
 * <p>KEYS[1] is the session's metadata hash, KEYS[2] its turn list, KEYS[3] its hand-off list (see
 * {@link SessionKeys}); ARGV[1] is the sliding TTL in milliseconds. Every script that returns a session
 * returns it whole as {@code {HGETALL meta, LRANGE turns, PTTL meta, LLEN handoff}}, read inside the same
 * atomic step as the change.
 */
final class SessionScripts {
    private SessionScripts() {}

    private static final String SNAPSHOT = """
            local function snapshot()
              return {redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1), redis.call('PTTL', KEYS[1]),
                      redis.call('LLEN', KEYS[3])}
            end
            local function touch()
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              redis.call('PEXPIRE', KEYS[2], ARGV[1])
              redis.call('PEXPIRE', KEYS[3], ARGV[1])
            end
            """;

    /**
     * ARGV[2]: '1' for a use, '0' to only look. Returns {} when the session is absent. A use slides the
     * TTL only once less than half of it is left: a script that writes makes Redis sync its AOF before
     * answering (appendfsync always), so in an active conversation the read stays a pure read and the
     * append after the answer restarts the full TTL; the refresh here only keeps a session from
     * expiring while a long generation runs on it.
     */
    static final LuaScript READ = LuaScript.of("session read", SNAPSHOT + """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {}
            end
            if ARGV[2] == '1' and redis.call('PTTL', KEYS[1]) * 2 <= tonumber(ARGV[1]) then
              touch()
            end
            return snapshot()
            """);

    /** ARGV[2]: now (epoch ms); ARGV[3..]: the new turns as JSON, in order. Creates the session if absent. */
    static final LuaScript APPEND = LuaScript.of("session append", SNAPSHOT + """
            for i = 3, #ARGV do
              redis.call('RPUSH', KEYS[2], ARGV[i])
            end
            redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[2])
            redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
            redis.call('HINCRBY', KEYS[1], 'version', 1)
            touch()
            return snapshot()
            """);

    /**
     * ARGV[2]: now; ARGV[3]: the foldedTurns the caller saw; ARGV[4]: how many turns to fold;
     * ARGV[5]: the new summary; ARGV[6]: its tokens; ARGV[7]: '1' to keep the folded turns on the
     * hand-off list, in the same step, until they are handed on. Applies only if no fold happened since
     * the caller read the session (foldedTurns unchanged) — appends in between are fine, they only add
     * at the end. Returns {applied (1|0), snapshot...}.
     */
    static final LuaScript FOLD = LuaScript.of("session fold", SNAPSHOT + """
            local count = tonumber(ARGV[4])
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {0, {}, {}, -2, 0}
            end
            local folded = tonumber(redis.call('HGET', KEYS[1], 'foldedTurns') or '0')
            if folded ~= tonumber(ARGV[3]) or redis.call('LLEN', KEYS[2]) < count then
              local s = snapshot()
              return {0, s[1], s[2], s[3], s[4]}
            end
            local removed = redis.call('LRANGE', KEYS[2], 0, count - 1)
            redis.call('LTRIM', KEYS[2], count, -1)
            redis.call('HSET', KEYS[1], 'summary', ARGV[5], 'summaryTokens', ARGV[6], 'updatedAt', ARGV[2])
            redis.call('HINCRBY', KEYS[1], 'foldedTurns', count)
            redis.call('HINCRBY', KEYS[1], 'version', 1)
            if ARGV[7] == '1' then
              redis.call('RPUSH', KEYS[3], cjson.encode({seq = folded, turns = removed}))
            end
            touch()
            local s = snapshot()
            return {1, s[1], s[2], s[3], s[4]}
            """);
}
