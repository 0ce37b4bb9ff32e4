import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/types.js';
import { sessionRecord } from '../testing/index.js';
import { redisStore } from './index.js';
import {
  expectRecoveryAfterRestart,
  expectTimeoutWhilePaused,
  operationsWhileDown,
} from './outage.fixture.js';
import { type OwnRedis, ownRedis } from './redis.fixture.js';

const HOUR = 3_600_000;

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

  it('answers the read-only operations while writes are paused (as during a FAILOVER)', async () => {
    const admin = new Redis(server.url);
    try {
      await store.create('paused', sessionRecord({ userId: 'paused-user' }), Date.now() + HOUR);
      const readOnly = () => [
        store.getSealedSuccessor?.('paused'),
        store.getCredential('paused-credential'),
        store.listByUser('paused-user'),
      ];
      // Redis knows a script's flags once it has it: an unknown EVALSHA counts as a write.
      await Promise.all(readOnly());
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE');
      const reads = await Promise.allSettled(readOnly());
      expect(reads.map((read) => read.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      admin.disconnect();
    }
  });
});
