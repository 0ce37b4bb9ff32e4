import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/types.js';
import { sessionRecord } from '../testing/index.js';
import { redisStore } from './index.js';
import { type OwnRedis, ownRedis } from './redis.fixture.js';

const HOUR = 3_600_000;
let server: OwnRedis;
let client: Redis;
let store: SessionStore;

/** Retries `op` until it resolves: ioredis reconnects on its own schedule. */
async function eventually<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

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
    await store.create('before', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
    await server.stop();

    const at = Date.now();
    await expect(store.get('before')).rejects.toThrow();
    await expect(store.create('during', sessionRecord(), at + HOUR)).rejects.toThrow();
    await expect(store.update('before', { set: { a: 2 } }, at + HOUR)).rejects.toThrow();
    await expect(store.end('before', { reason: 'revoked', at }, at + HOUR)).rejects.toThrow();
    await expect(store.listByUser('alice')).rejects.toThrow();
    await expect(store.getCredential('c')).rejects.toThrow();

    // A restarted server has lost its data and its script cache: EVALSHA must fall back.
    await server.start();
    await eventually(() => store.get('x'));
    expect(await store.create('after', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR)).toBe(
      true,
    );
    expect(await store.update('after', { set: { a: 2 } }, Date.now() + HOUR)).toBe('ok');
    expect((await store.get('after'))?.data).toEqual({ a: 2 });
  });

  it('rejects with a timeout when the server accepts commands but does not answer', async () => {
    // CLIENT PAUSE holds every client's commands, like an overloaded or stalled Redis.
    const admin = new Redis(server.url);
    await admin.client('PAUSE', 1500, 'ALL');
    admin.disconnect();
    await expect(store.get('after')).rejects.toThrow(/did not answer within 500 ms/);
    expect((await eventually(() => store.get('after')))?.data).toEqual({ a: 2 });
  });
});
