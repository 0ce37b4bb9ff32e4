import { once } from 'node:events';
import type { SessionStore } from '@lifeline/server';
import type { DemoConfig } from './config.js';

/**
 * The store the demo runs on: `undefined` (the app's embedded memory store) unless
 * `REDIS_URL` is set, then a Redis store shared by every instance pointed at it.
 * ioredis is loaded only in that case, so the default start-up needs no Redis client.
 *
 * @example
 * const store = await storeFor(config);
 * const app = createDemoApp(config, { store });
 */
export async function storeFor(config: DemoConfig): Promise<SessionStore | undefined> {
  if (config.redisUrl === null) return undefined;
  const [{ Redis }, { redisStore }] = await Promise.all([
    import('ioredis'),
    import('@lifeline/server/redis'),
  ]);
  // No offline queue: with Redis down, commands fail at once and requests get a 503.
  const client = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
  });
  // Commands sent before the first connection would fail as well: the demo's first
  // requests answered 503. An unreachable REDIS_URL fails the start instead, and so does
  // one that accepts connections but never answers (ioredis would wait for it for good).
  await once(client, 'ready', { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
    client.disconnect();
    throw error;
  });
  return redisStore({ client });
}
