import type { RedisArg, RedisClient } from './client.js';

/** The keys and arguments of a node-redis `eval`/`evalSha` call. */
export interface NodeRedisEvalOptions {
  keys: string[];
  arguments: string[];
}

/**
 * The few methods {@link fromNodeRedis} calls on a node-redis (v5 or later) client made
 * with `createClient` or `createCluster`. Typed by shape only: `@lifeline/server` does not
 * depend on node-redis.
 */
export interface NodeRedisClient {
  evalSha(sha1: string, options: NodeRedisEvalOptions): Promise<unknown>;
  eval(script: string, options: NodeRedisEvalOptions): Promise<unknown>;
  hGetAll(key: string): Promise<unknown>;
  /**
   * A raw command: `(args: string[])` on a standalone client, called only there; a cluster
   * client's takes other arguments (hence the loose type).
   */
  sendCommand?(...args: never[]): Promise<unknown>;
  /** The client's options; only `keyPrefix` is read (a raw command does not apply it). */
  readonly options?: { keyPrefix?: unknown };
  /** node-redis's per-command reply mapping; called once with `{}` to get default replies. */
  withTypeMapping?(typeMapping: Record<never, never>): NodeRedisClient;
}

/** What {@link fromNodeRedis} returns: a store client that says whether it is a cluster. */
export interface NodeRedisStoreClient extends RedisClient {
  /** True for a node-redis cluster client: the store then keeps every script in one slot. */
  readonly isCluster: boolean;
}

/** node-redis takes strings (or Buffers) only; numbers become their decimal text. */
function split(numkeys: number, keysAndArgs: readonly RedisArg[]): NodeRedisEvalOptions {
  const text = keysAndArgs.map(String);
  return { keys: text.slice(0, numkeys), arguments: text.slice(numkeys) };
}

/**
 * Adapts a node-redis client to the store's {@link RedisClient}, for
 * `redisStore({ client: fromNodeRedis(redis) })`. Works with `createClient` and with
 * `createCluster` (turning the store's cluster mode on), on RESP2 or RESP3.
 *
 * Replies come back as the store expects them whatever the client's own `typeMapping`
 * (the adapter asks for node-redis's defaults), errors reject with the server's message
 * (`NOSCRIPT …`, `WRONGTYPE …`), and a missing hash reads as `{}`. Create the client with
 * `disableOfflineQueue: true` so an outage rejects at once (docs/redis.md).
 *
 * @example
 * import { createClient } from 'redis';
 * import { fromNodeRedis, redisStore } from '@lifeline/server/redis';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true })
 *   .on('error', (error) => console.error('redis', error))
 *   .connect();
 * app.use(session({ store: redisStore({ client: fromNodeRedis(redis) }) }));
 */
export function fromNodeRedis(client: NodeRedisClient): NodeRedisStoreClient {
  if (
    typeof client?.evalSha !== 'function' ||
    typeof client.eval !== 'function' ||
    typeof client.hGetAll !== 'function'
  ) {
    throw new TypeError('fromNodeRedis: expected a node-redis client (evalSha, eval, hGetAll)');
  }
  // A node-redis cluster client routes each command by its first key; only it has this.
  const isCluster = typeof (client as { getSlotMaster?: unknown }).getSlotMaster === 'function';
  // An app may map replies to Maps or Buffers; the store decodes node-redis's defaults.
  const redis = client.withTypeMapping?.({}) ?? client;
  // Raw reads only through a plain `createClient` client (only it has `createPool`; a
  // pool's and a sentinel's `sendCommand` differ) and one without a keyPrefix, which a raw
  // command would skip. Any other client reads through hGetAll, as it always did.
  const shape = client as { createPool?: unknown; _keyPrefix?: unknown };
  const raw =
    !isCluster &&
    typeof shape.createPool === 'function' &&
    !client.options?.keyPrefix &&
    !shape._keyPrefix;
  const send = raw
    ? (redis.sendCommand?.bind(redis) as ((args: string[]) => Promise<unknown>) | undefined)
    : undefined;
  return {
    isCluster,
    // Session reads send a raw HGETALL: its field/value pairs decode without node-redis
    // first building an object of them (RESP3 answers the object either way).
    ...(send && {
      call: (command: string, ...args: RedisArg[]) => send([command, ...args.map(String)]),
    }),
    evalsha: (sha1, numkeys, ...keysAndArgs) => redis.evalSha(sha1, split(numkeys, keysAndArgs)),
    eval: (script, numkeys, ...keysAndArgs) => redis.eval(script, split(numkeys, keysAndArgs)),
    hgetall: (key) => redis.hGetAll(key) as Promise<Record<string, string>>,
  };
}
