/**
 * The Lua scripts of the Redis store's remember-me credentials. A credential is a HASH;
 * the predecessor a rotation keeps for its grace window (`previous`, with the sealed
 * successor) lives under a key of its own in the same hash tag, expiring at its `until`
 * (never after the credential): Redis forgets the sealed successor when the window
 * closes, where a hash field would keep it until the next rotation. Each script names
 * only keys of one slot. Expiries come from the caller as integers; Lua never formats one.
 */

import { INDEXED } from './lua-parts.js';

/**
 * Reads a credential and its predecessor in one round trip.
 * KEYS: credential hash, predecessor key.
 * Returns 'wrongtype' when the credential key is not a hash, else { the hash as HGETALL
 * pairs, the predecessor's text (nil when absent, 0 when its key holds another type) }.
 */
export const CREDENTIAL_READ = `#!lua flags=no-writes
local h = redis.pcall('HGETALL', KEYS[1])
if h.err then return 'wrongtype' end
local kind = redis.call('TYPE', KEYS[2]).ok
local previous = false
if kind == 'string' then previous = redis.call('GET', KEYS[2])
elseif kind ~= 'none' then previous = 0 end
return { h, previous }
`;

/**
 * Creates a credential unless its key exists, with its predecessor when ARGV[4] is not
 * empty, and (given KEYS[3]) adds it to its user index.
 * KEYS: credential hash, predecessor key, user index (single-node mode only).
 * ARGV: expiresAt, id, index score, predecessor JSON or '', its time to live (ms) or '', then
 * field/value pairs. Returns -1 when the key existed, else the index size (0 without one).
 */
export const CREDENTIAL_CREATE = `${INDEXED}
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
else redis.call('DEL', KEYS[2]) end
if not KEYS[3] then return 0 end
return indexAdd(KEYS[3], ARGV[3], ARGV[2], ARGV[1])
`;

/**
 * Compare-and-set of a credential's token hash, moving its expiry and replacing its
 * predecessor (deleted when ARGV[4] is absent). `SET` replaces a key of any type.
 * KEYS: credential hash, predecessor key.
 * ARGV: expected tokenHash, new tokenHash (JSON each), expiresAt, predecessor JSON, its
 * time to live in ms (to the earlier of its `until` and expiresAt). Answers { 'ok', userId }
 * when the credential now lives longer, so that its user's index lives as long.
 */
export const CREDENTIAL_ROTATE = `
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 'missing' end
if redis.call('HGET', KEYS[1], 'tokenHash') ~= ARGV[1] then return 'conflict' end
local longer = redis.call('PEXPIRETIME', KEYS[1]) < tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'tokenHash', ARGV[2], 'expiresAt', ARGV[3])
-- Versions before the predecessor key kept it in the hash, sealed successor and all.
redis.call('HDEL', KEYS[1], 'previous')
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
if ARGV[4] then
  redis.call('SET', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
else redis.call('DEL', KEYS[2]) end
if longer then return { 'ok', redis.call('HGET', KEYS[1], 'userId') } end
return 'ok'
`;

/**
 * Deletes a credential and its predecessor, returning { 'ok', the stored user id's JSON }
 * (false when the key held no hash), so that the caller can take it out of its user's
 * index: left there, an index whose credentials were all deleted kept the user's id in a
 * key name for up to 30 days.
 * KEYS: credential hash, predecessor key.
 */
export const CREDENTIAL_DELETE = `
local owner = false
if redis.call('TYPE', KEYS[1]).ok == 'hash' then owner = redis.call('HGET', KEYS[1], 'userId') end
redis.call('DEL', unpack(KEYS))
return { 'ok', owner }
`;
