import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/types.js';
import { redisStore } from './index.js';
import {
  expectRecoveryAfterRestart,
  expectTimeoutWhilePaused,
  operationsWhileDown,
} from './outage.fixture.js';
import { type OwnRedis, ownRedis } from './redis.fixture.js';

let server: OwnRedis;
let client: Redis;
let store: SessionStore;

beforeAll(async () => {
  server = await ownRedis();
  // The configuration docs/redis.md recommends: fail fast instead of queueing while down.
  client = new Redis(server.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  store = redisStore({ client, commandTimeoutMs: 500 });
});
afterAll(async () => {
  // Undefined when start-up failed; beforeAll has reported why.
  client?.disconnect();
  await server?.stop();
});

describe('redisStore during a Redis outage', () => {
  it('rejects every operation while the server is down, then works again after a restart', async () => {
    for (const outcome of await operationsWhileDown(store, server)) {
      expect(outcome.status).toBe('rejected');
    }
    await expectRecoveryAfterRestart(store, server);
  });

  it('rejects with a timeout when the server accepts commands but does not answer', async () => {
    await expectTimeoutWhilePaused(store, server, 'after', { a: 2 });
  });
});
