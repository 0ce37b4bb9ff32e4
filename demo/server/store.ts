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
  // one that accepts connections but has said nothing in 10 s (ioredis would wait for good);
  // a Redis still loading its data answers "loading", and is waited for.
  const silent = new AbortController();
  const timer = setTimeout(() => {
    if (!client.stream?.bytesRead) silent.abort(new Error('no answer within 10 s'));
  }, 10_000);
  await once(client, 'ready', { signal: silent.signal })
    .catch((error: unknown) => {
      client.disconnect();
      throw silent.signal.aborted ? silent.signal.reason : error;
    })
    .finally(() => clearTimeout(timer));
  return redisStore({ client, prefix: config.redisPrefix });
}
