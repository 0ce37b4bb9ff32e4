/**
 * The Lua scripts of the Redis store. Each one runs atomically on the server, so a
 * check-then-write (exists, not ended, token still current) cannot interleave with
 * another request. Values are JSON-encoded by the caller; scripts compare them as
 * opaque strings, except the deadlines and `lastActiveAt`, which they read with
 * `tonumber` (a JSON number is a Lua number literal) and never write back reformatted.
 */

import { INDEXED } from './lua-parts.js';

// Redis caps how many values Lua's `unpack` may spread, so long field lists go in chunks.
const CHUNKED = `
local function chunked(cmd, key, list, from, to)
  for i = from, to, 4000 do
    redis.call(cmd, key, unpack(list, i, math.min(i + 3999, to)))
  end
end
`;

// A live record: a hash whose `m:ended` is absent or JSON null.
const LIVE = `
local function live(key)
  if redis.call('TYPE', key).ok ~= 'hash' then return false end
  local ended = redis.call('HGET', key, 'm:ended')
  return not ended or ended == 'null'
end
`;

/**
 * The read of an ordinary request, with its throttled touch when due, in one round trip:
 * the touch applies only to a live record whose current token hash is ARGV[1], last
 * touched at or before ARGV[2], with both deadlines after ARGV[3] (now). It sets
 * `lastActiveAt` to now and `idleExpiresAt` to ARGV[4] capped at the absolute deadline,
 * copying stored text rather than formatting numbers in Lua. The key's expiry stays.
 * ARGV: token hash, due-at-or-before, now, new idle deadline (JSON each).
 * Returns the hash as HGETALL would (after the touch), or 'wrongtype' for a foreign key.
 */
export const READ_TOUCH = `
local h = redis.pcall('HGETALL', KEYS[1])
if h.err then return 'wrongtype' end
local at = {}
for i = 1, #h, 2 do at[h[i]] = i + 1 end
local function value(name) return at[name] and h[at[name]] end
local ended = value('m:ended')
if (ended and ended ~= 'null') or value('m:tokenHash') ~= ARGV[1] then return h end
local last = tonumber(value('m:lastActiveAt') or '')
local idle = tonumber(value('m:idleExpiresAt') or '')
local absolute = tonumber(value('m:absoluteExpiresAt') or '')
local now = tonumber(ARGV[3])
if not (last and idle and absolute and last <= tonumber(ARGV[2])
  and now < idle and now < absolute) then return h end
local nextIdle = ARGV[4]
if tonumber(nextIdle) > absolute then nextIdle = value('m:absoluteExpiresAt') end
redis.call('HSET', KEYS[1], 'm:lastActiveAt', ARGV[3], 'm:idleExpiresAt', nextIdle)
h[at['m:lastActiveAt']] = ARGV[3]
h[at['m:idleExpiresAt']] = nextIdle
return h
`;

/** The sealed successor of a session's predecessor (a string), or nil once forgotten. */
export const SESSION_SEALED = `#!lua flags=no-writes
return redis.call('GET', KEYS[1])`;

/**
 * Creates a record unless its key exists, and (given `KEYS[2]`) adds it to its user index.
 * ARGV: expiresAt, member id, index score, then field/value pairs.
 * Returns -1 when the key existed, else the index size (0 without an index).
 */
export const CREATE = `${CHUNKED}${INDEXED}
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
chunked('HSET', KEYS[1], ARGV, 4, #ARGV)
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
if not KEYS[2] then return 0 end
return indexAdd(KEYS[2], ARGV[3], ARGV[2], ARGV[1])
`;

/**
 * Applies a per-key delta to a live session; never re-creates an ended or missing one.
 * `m:lastActiveAt` and `m:idleExpiresAt` only move forward (an earlier-started request
 * must not pull back a later touch); `m:absoluteExpiresAt` only back, and never when the
 * stored one does not read as a number (a session past it stays dead). Answers 'ok', or { 'ok', m:userId } when the record
 * now lives longer than before and has a user, whose index must then live as long.
 * ARGV: expiresAt, number of field/value pairs n, the 2n pair values, then fields to delete.
 */
export const SESSION_UPDATE = `${CHUNKED}${LIVE}
if not live(KEYS[1]) then return 'missing' end
local longer = redis.call('PEXPIRETIME', KEYS[1]) < tonumber(ARGV[1])
local last = 2 + 2 * tonumber(ARGV[2])
local forward = { ['m:lastActiveAt'] = true, ['m:idleExpiresAt'] = true }
local backward = { ['m:absoluteExpiresAt'] = true }
local set = {}
for i = 3, last, 2 do
  local keep = true
  if forward[ARGV[i]] then
    local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '')
    local given = tonumber(ARGV[i + 1])
    keep = not (stored and given and given < stored)
  elseif backward[ARGV[i]] then
    -- An unreadable stored deadline is never replaced: that would bring a corrupt record back.
    local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '')
    local given = tonumber(ARGV[i + 1])
    keep = stored ~= nil and given ~= nil and not (given > stored)
  end
  if keep then
    set[#set + 1] = ARGV[i]
    set[#set + 1] = ARGV[i + 1]
  end
end
if #set > 0 then chunked('HSET', KEYS[1], set, 1, #set) end
if #ARGV > last then chunked('HDEL', KEYS[1], ARGV, last + 1, #ARGV) end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
local user = longer and redis.call('HGET', KEYS[1], 'm:userId')
if user and user ~= 'null' then return { 'ok', user } end
return 'ok'
`;

/**
 * Compare-and-set of the current token hash; writes the successor and its predecessor
 * (without its sealed successor, which goes to its own key KEYS[2], or is deleted when
 * ARGV[6] is empty). That key lives ARGV[7] ms (a confirmed rotation: until its window
 * closes), or while unconfirmed as long as the record (ARGV[7] is 0).
 * ARGV: expiresAt, expected tokenHash, new tokenHash, previous, rotatedAt (JSON each),
 * sealed successor, its time to live in ms. Answers { 'ok', owner } when the record now
 * lives longer and has an owner, whose index must then live as long (as `SESSION_UPDATE`).
 */
export const SESSION_ROTATE = `${LIVE}
if not live(KEYS[1]) then return 'missing' end
if redis.call('HGET', KEYS[1], 'm:tokenHash') ~= ARGV[2] then return 'conflict' end
local longer = redis.call('PEXPIRETIME', KEYS[1]) < tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'm:tokenHash', ARGV[3], 'm:previous', ARGV[4], 'm:rotatedAt', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
if ARGV[6] == '' then
  redis.call('DEL', KEYS[2])
elseif ARGV[7] == '0' then
  redis.call('SET', KEYS[2], ARGV[6])
  redis.call('PEXPIREAT', KEYS[2], ARGV[1])
else
  redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[7])
end
local user = longer and redis.call('HGET', KEYS[1], 'm:userId')
if user and user ~= 'null' then return { 'ok', user } end
return 'ok'
`;

/**
 * Records that the current token's predecessor is confirmed: replaces `m:previous`, only
 * while the session is live and `m:tokenHash` is still the given one (a newer rotation's
 * predecessor is never overwritten), and gives the sealed successor's key (KEYS[2]) the
 * rest of the window to live. The record's expiry stays.
 * ARGV: current tokenHash, confirmed previous (JSON each), the window's rest in ms.
 */
export const SESSION_CONFIRM = `${LIVE}
if not live(KEYS[1]) then return 'missing' end
if redis.call('HGET', KEYS[1], 'm:tokenHash') ~= ARGV[1] then return 'conflict' end
redis.call('HSET', KEYS[1], 'm:previous', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 'ok'
`;

/**
 * Turns a live session into a tombstone: drops every data field and its predecessor's
 * sealed successor (KEYS[2]), records why it ended. Given ARGV[3] (now), only while a
 * deadline is at or before it: 'live', changing nothing, when both are after it. A
 * deadline that does not read as a number counts as passed (the record is corrupt).
 * ARGV: expiresAt, ended marker (JSON), optionally now.
 */
export const SESSION_END = `${CHUNKED}${LIVE}
if not live(KEYS[1]) then return 'missing' end
if ARGV[3] then
  local now = tonumber(ARGV[3])
  local idle = tonumber(redis.call('HGET', KEYS[1], 'm:idleExpiresAt') or '')
  local absolute = tonumber(redis.call('HGET', KEYS[1], 'm:absoluteExpiresAt') or '')
  if idle and absolute and now < idle and now < absolute then return 'live' end
end
redis.call('DEL', KEYS[2])
local data = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 2) == 'd:' then data[#data + 1] = field end
end
if #data > 0 then chunked('HDEL', KEYS[1], data, 1, #data) end
redis.call('HSET', KEYS[1], 'm:ended', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 'ok'
`;

/**
 * Deletes every key in KEYS (a record and the keys that belong to it); given ARGV[1], only
 * while the first one is a hash whose `userId` field still equals it (-1 for a hash whose
 * field differs, 0 for a key of another type). Returns how many keys it deleted.
 */
export const DELETE = `
if ARGV[1] then
  local kind = redis.call('TYPE', KEYS[1]).ok
  if kind == 'hash' and redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return -1 end
  if kind ~= 'hash' and kind ~= 'none' then return 0 end
end
return redis.call('DEL', unpack(KEYS))
`;

/**
 * Adds ARGV[2] to the index at score ARGV[1] (keeping an existing score), its record
 * expiring at ARGV[3]; returns the index size.
 */
export const INDEX_ADD = `${INDEXED}
return indexAdd(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
`;

/** Every member of an index, oldest first; 'wrongtype' for a key of another type. */
export const INDEX_READ = `#!lua flags=no-writes
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'zset' and kind ~= 'none' then return 'wrongtype' end
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/** Removes the members in ARGV from an index (nothing from a key of another type). */
export const INDEX_REMOVE = `${CHUNKED}
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then return 'ok' end
chunked('ZREM', KEYS[1], ARGV, 1, #ARGV)
return 'ok'
`;

// The credential scripts live in their own module; `run` takes every export of this one.
export * from './credential-scripts.js';
