/** An argument Redis accepts on the wire. */
export type RedisArg = string | number;

/**
 * The few commands the Redis store calls. An ioredis `Redis` or `Cluster` instance
 * satisfies it as is; wrap a node-redis client with `fromNodeRedis` (node-redis.ts).
 * Replies follow ioredis: `hgetall` resolves to a plain object (`{}` for a missing key),
 * Lua tables come back as arrays, and errors reject with the server's message.
 */
export interface RedisClient {
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: RedisArg[]): Promise<unknown>;
  eval(script: string, numkeys: number, ...keysAndArgs: RedisArg[]): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  /**
   * Optional: any command, its reply as the server sent it (ioredis `call`). When present,
   * session reads send `HGETALL` through it and decode the field/value array themselves,
   * which costs less than building an object first. It must resolve to that array (or to
   * the same object `hgetall` gives) and reject like the other methods.
   */
  call?(command: string, ...args: RedisArg[]): Promise<unknown>;
}

/** A store command that did not answer in time: the middleware answers 503, as for any outage. */
export class RedisTimeoutError extends Error {
  override readonly name = 'RedisTimeoutError';
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs one Lua script with `keys` and `args`; resolves to the script's reply. */
export type ScriptCall = (keys: readonly string[], args: readonly RedisArg[]) => Promise<unknown>;

/**
 * Wraps a Lua script as `EVALSHA`, falling back to `EVAL` (which also caches it on the
 * server) when the server answers `NOSCRIPT`, e.g. after a restart or a failover.
 *
 * @example
 * const touch = luaScript(client, "return redis.call('PEXPIREAT', KEYS[1], ARGV[1])");
 * await touch(['lifeline:s:{abc}'], [Date.now() + 60_000]);
 */
export function luaScript(client: RedisClient, source: string): ScriptCall {
  let sha: Promise<string> | undefined;
  return async (keys, args) => {
    sha ??= sha1Hex(source);
    const hash = await sha;
    try {
      return await client.evalsha(hash, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      return client.eval(source, keys.length, ...keys, ...args);
    }
  };
}
