import Redis from 'ioredis';
import { expect } from 'vitest';
import type { SessionStore } from '../store/types.js';
import { sessionRecord } from '../testing/index.js';
import type { OwnRedis } from './redis.fixture.js';

const HOUR = 3_600_000;

/** Retries `op` until it resolves: Redis clients reconnect on their own schedule. */
export async function eventually<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Every store operation while `server` is down, as settled promises (each test says how
 * it must fail); a session `before` is stored first.
 */
export async function operationsWhileDown(store: SessionStore, server: OwnRedis) {
  await store.create('before', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
  await server.stop();
  const at = Date.now();
  return Promise.allSettled([
    store.get('before'),
    store.create('during', sessionRecord(), at + HOUR),
    store.update('before', { set: { a: 2 } }, at + HOUR),
    store.end('before', { reason: 'revoked', at }, at + HOUR),
    store.listByUser('alice'),
    store.getCredential('c'),
  ]);
}

/**
 * Restarts `server` and checks the store works again: the restarted server has lost its
 * data and its script cache, so EVALSHA must fall back.
 */
export async function expectRecoveryAfterRestart(store: SessionStore, server: OwnRedis) {
  await server.start();
  await eventually(() => store.get('x'));
  const created = await store.create('after', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
  expect(created).toBe(true);
  expect(await store.update('after', { set: { a: 2 } }, Date.now() + HOUR)).toBe('ok');
  expect((await store.get('after'))?.data).toEqual({ a: 2 });
}

/**
 * Pauses every client of `server` (CLIENT PAUSE, like an overloaded or stalled Redis) and
 * checks a read of `sid` fails at the store's 500 ms limit, then reads `data` once it ends.
 */
export async function expectTimeoutWhilePaused(
  store: SessionStore,
  server: OwnRedis,
  sid: string,
  data: unknown,
) {
  const admin = new Redis(server.url);
  await admin.client('PAUSE', 1500, 'ALL');
  admin.disconnect();
  await expect(store.get(sid)).rejects.toThrow(/did not answer within 500 ms/);
  expect((await eventually(() => store.get(sid)))?.data).toEqual(data);
}
