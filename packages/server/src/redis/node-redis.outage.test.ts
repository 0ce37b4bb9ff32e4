import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionEnv, session } from '../index.js';
import type { SessionStore } from '../store/types.js';
import { sessionRecord } from '../testing/index.js';
import { fromNodeRedis, RedisTimeoutError, redisStore } from './index.js';
import { connectNodeRedis, type NodeRedis } from './node-redis.fixture.js';
import {
  eventually,
  expectRecoveryAfterRestart,
  expectTimeoutWhilePaused,
  operationsWhileDown,
} from './outage.fixture.js';
import { type OwnRedis, ownRedis } from './redis.fixture.js';

/**
 * A Redis outage through node-redis, created as docs/redis.md recommends
 * (`disableOfflineQueue: true`, default reconnection), on a server this file kills.
 */
const HOUR = 3_600_000;
let server: OwnRedis;
let client: NodeRedis;
/** The same app on a client with node-redis's default offline queue. */
let queueing: NodeRedis;
let store: SessionStore;

function app(on: NodeRedis) {
  const hono = new Hono<SessionEnv>();
  hono.use(session({ store: redisStore({ client: fromNodeRedis(on), commandTimeoutMs: 300 }) }));
  hono.get('/me', (c) => c.json({ state: c.var.session.state, user: c.var.session.userId }));
  hono.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'alice' });
    return c.json({ ok: true });
  });
  return hono;
}
let recommended: Hono<SessionEnv>;
let withQueue: Hono<SessionEnv>;

async function me(on: Hono<SessionEnv>, cookie: string): Promise<Response> {
  return on.request('http://localhost/me', { headers: { Cookie: cookie } });
}

async function login(on: Hono<SessionEnv>): Promise<string> {
  const res = await on.request('http://localhost/login', { method: 'POST' });
  return res.headers
    .getSetCookie()
    .find((l) => l.startsWith('lifeline='))!
    .split(';')[0]!;
}

beforeAll(async () => {
  server = await ownRedis();
  client = await connectNodeRedis({}, server.url);
  queueing = await connectNodeRedis({ disableOfflineQueue: false }, server.url);
  store = redisStore({ client: fromNodeRedis(client), commandTimeoutMs: 500 });
  recommended = app(client);
  withQueue = app(queueing);
});
afterAll(async () => {
  // Undefined when start-up failed; beforeAll has reported why.
  client?.destroy();
  queueing?.destroy();
  await server?.stop();
});

describe('redisStore through node-redis during a Redis outage', () => {
  it('rejects every operation at once while the server is down, then works again after a restart', async () => {
    for (const outcome of await operationsWhileDown(store, server)) {
      expect(outcome.status).toBe('rejected');
      // Refused by the client (offline), not left waiting for the store's timeout.
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(Error);
      expect(reason).not.toBeInstanceOf(RedisTimeoutError);
    }
    await expectRecoveryAfterRestart(store, server);
  });

  it('answers 503 store_unavailable without clearing the cookie, at once or at the timeout', async () => {
    const cookies = [await login(recommended), await login(withQueue)];
    await server.stop();

    for (const [on, cookie] of [
      [recommended, cookies[0]!],
      [withQueue, cookies[1]!],
    ] as const) {
      const started = Date.now();
      const down = await me(on, cookie);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ code: 'store_unavailable' });
      expect(down.headers.getSetCookie()).toEqual([]);
      // With the offline queue the command waits for a reconnection: only the store's
      // 300 ms timeout answers. Either way, well before any client-side give-up.
      expect(Date.now() - started).toBeLessThan(2000);
    }

    // Memory only: the restarted server lost the sessions, but answers again.
    await server.start();
    const back = await eventually(async () => {
      const res = await me(recommended, cookies[0]!);
      if (res.status === 503) throw new Error('still unavailable');
      return res;
    });
    expect(back.status).toBe(200);
  });

  it('rejects with a timeout when the server accepts commands but does not answer', async () => {
    await eventually(() =>
      store.create('paused', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR),
    );
    await expectTimeoutWhilePaused(store, server, 'paused', { a: 1 });
  });
});
