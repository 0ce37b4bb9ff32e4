import { createClient, type RedisClientOptions } from 'redis';
import { REDIS_MISSING } from './redis.fixture.js';

/**
 * Test support for the Redis store through node-redis (not exported by the package):
 * connects like an app would, and fails loudly, never skips, when there is no Redis.
 */

export type NodeRedis = ReturnType<typeof createClient>;

/** createClient's options; `RESP: 2` too (the client is then typed as RESP3 all the same). */
export type NodeRedisOptions = Omit<RedisClientOptions, 'RESP'> & { RESP?: 2 | 3 };

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A node-redis client as docs/redis.md recommends (no offline queue, so an outage
 * rejects at once), connected and answering, or an error naming what is missing.
 */
export async function connectNodeRedis(
  options: NodeRedisOptions = {},
  url = URL,
): Promise<NodeRedis> {
  const client = createClient({ url, disableOfflineQueue: true, ...options } as RedisClientOptions);
  client.on('error', () => {}); // connection errors surface as rejected commands
  // node-redis keeps retrying a first connection that fails: give it two seconds.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    await client.ping();
  } catch (error) {
    client.destroy();
    throw new Error(`${REDIS_MISSING} (${(error as Error).message})`);
  } finally {
    clearTimeout(timer);
  }
  return client;
}
