#!/usr/bin/env bash
# Moves data written before Redis Cluster support into today's key layout, in place, on one Redis:
#
#   infra/redis/migrate-keys.sh redis://[user:password@]host:port[/db]
#
#   engram:<t>:wm:<session>           -> engram:<t>:wm:{<t>/<session>}:meta
#   engram:<t>:wm-turns:<session>     -> engram:<t>:wm:{<t>/<session>}:turns
#   engram:<t>:ltm:<rest>             -> engram:<t>:ltm:{<t>}:<rest>
#   engram:<t>:batch:<job>:<part>     -> engram:<t>:batch:{<t>/<job>}:<part>
#   engram:<t>:batch:unfinished       -> removed (no longer kept)
#
# Keys already in the new layout (they hold a '{') and every other key stay as they are, so running it
# twice is safe. Each call moves one SCAN page in one short script (RENAME keeps values, expiries and
# the append-only file consistent), so Redis keeps serving meanwhile. Stop the functions first: a
# request between two pages would see part of its data. Then, to move to a cluster, copy the data with
# `redis-cli --cluster import`. A query-engine index (Redis 8) under the old prefix is dropped; the
# functions create the new one at first use.
set -euo pipefail
URL="${1:?usage: migrate-keys.sh redis://host:port}"

read -r -d '' PAGE <<'LUA' || true
local page = redis.call('SCAN', ARGV[1], 'MATCH', 'engram:*', 'COUNT', 500)
local moved = 0
local function move(from, to)
  if redis.call('EXISTS', to) == 1 then return end
  redis.call('RENAME', from, to)
  moved = moved + 1
end
for _, key in ipairs(page[2]) do
  if not string.find(key, '{', 1, true) then
    local t, rest = string.match(key, '^engram:([%w_%-]+):(.*)$')
    if t then
      local session = string.match(rest, '^wm:(.+)$')
      local turns = string.match(rest, '^wm%-turns:(.+)$')
      local ltm = string.match(rest, '^ltm:(.+)$')
      local job, part = string.match(rest, '^batch:([%w._%-]+):(%a+)$')
      if session then
        move(key, 'engram:' .. t .. ':wm:{' .. t .. '/' .. session .. '}:meta')
      elseif turns then
        move(key, 'engram:' .. t .. ':wm:{' .. t .. '/' .. turns .. '}:turns')
      elseif ltm == 'idx' then
        -- an index name, not a key (Redis 8 query engine)
      elseif ltm then
        move(key, 'engram:' .. t .. ':ltm:{' .. t .. '}:' .. ltm)
      elseif rest == 'batch:unfinished' then
        redis.call('UNLINK', key)
      elseif job and job ~= 'event' and job ~= 'input' then
        move(key, 'engram:' .. t .. ':batch:{' .. t .. '/' .. job .. '}:' .. part)
      end
    end
  end
end
return {page[1], moved}
LUA

cursor=0
total=0
while :; do
  reply=$(redis-cli -u "$URL" --no-raw EVAL "$PAGE" 0 "$cursor")
  cursor=$(printf '%s\n' "$reply" | sed -n '1s/^1) "\(.*\)"$/\1/p')
  moved=$(printf '%s\n' "$reply" | sed -n '2s/^2) (integer) \(.*\)$/\1/p')
  if [[ -z "$cursor" || -z "$moved" ]]; then
    echo "Unexpected answer from Redis: $reply" >&2
    exit 1
  fi
  total=$((total + moved))
  [[ "$cursor" == "0" ]] && break
done

# The query engine's per-tenant indexes over the old prefix, if this Redis has one.
if redis-cli -u "$URL" --no-raw COMMAND INFO FT._LIST | grep -q '_list'; then
  for index in $(redis-cli -u "$URL" --raw FT._LIST | grep -E '^engram:[A-Za-z0-9_-]+:ltm:idx$' || true); do
    redis-cli -u "$URL" FT.DROPINDEX "$index" >/dev/null
  done
fi
echo "Moved $total keys into the cluster-safe layout."
