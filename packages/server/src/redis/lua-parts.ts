/** Lua functions the store's scripts share; not scripts themselves. */

// A user index (ZSET): a key of another type there is foreign content, replaced (its
// members cannot be ours) and said so: answers { index size, 1 if replaced else 0 }. Each add keeps the index alive as long as its longest-lived
// member: a new index expires with its first member, a later add only moves that later
// (GT); an index written before indexes had an expiry keeps none.
export const INDEXED = `
local function indexAdd(key, score, member, expiresAt)
  local kind = redis.call('TYPE', key).ok
  if kind ~= 'zset' and kind ~= 'none' then redis.call('DEL', key) end
  local created = kind ~= 'zset'
  redis.call('ZADD', key, 'NX', score, member)
  if created then redis.call('PEXPIREAT', key, expiresAt)
  elseif redis.call('PTTL', key) >= 0 then redis.call('PEXPIREAT', key, expiresAt, 'GT') end
  return { redis.call('ZCARD', key), (kind ~= 'zset' and kind ~= 'none') and 1 or 0 }
end
`;
