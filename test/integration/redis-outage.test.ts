import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SessionEnv, session } from '@lifeline/server';
import { redisStore } from '@lifeline/server/redis';
import { Hono } from 'hono';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, ownRedis } from '../../packages/server/src/redis/redis.fixture.js';

let server: OwnRedis;
let client: Redis;
let dir: string;
const app = new Hono<SessionEnv>();

async function me(token?: string): Promise<Response> {
  const headers: Record<string, string> = token ? { Cookie: `lifeline=${token}` } : {};
  return app.request('http://localhost/me', { headers });
}

/** Retries until the app answers 200 again: the client reconnects on its own schedule. */
async function recovered(token: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await me(token);
    if (res.status !== 503 || attempt >= 100) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // Persistent (append-only file), so the restarted server still holds the session.
  dir = await mkdtemp(join(tmpdir(), 'lifeline-redis-'));
  server = await ownRedis(dir);
  client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  app.use(session({ store: redisStore({ client, commandTimeoutMs: 300 }) }));
  app.get('/me', (c) => c.json({ state: c.var.session.state, user: c.var.session.userId }));
  app.post('/login', async (c) => {
    await c.var.session.regenerate({ userId: 'alice' });
    return c.json({ ok: true });
  });
});
afterAll(async () => {
  // Undefined when start-up failed; beforeAll has reported why.
  client?.disconnect();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a Redis outage behind the session middleware', () => {
  it('answers 503 store_unavailable without clearing the cookie, and resumes after a restart', async () => {
    const login = await app.request('http://localhost/login', { method: 'POST' });
    const line = login.headers.getSetCookie().find((l) => l.startsWith('lifeline='))!;
    const token = line.slice('lifeline='.length).split(';')[0]!;

    await server.stop();
    const down = await me(token);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'store_unavailable' });
    expect(down.headers.getSetCookie()).toEqual([]);

    await server.start();
    const back = await recovered(token);
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ state: 'active', user: 'alice' });
  });

  it('answers 503 when Redis stalls past the command timeout, then serves the session again', async () => {
    const login = await app.request('http://localhost/login', { method: 'POST' });
    const line = login.headers.getSetCookie().find((l) => l.startsWith('lifeline='))!;
    const token = line.slice('lifeline='.length).split(';')[0]!;
    const admin = new Redis(server.url);
    await admin.client('PAUSE', 1000, 'ALL');
    admin.disconnect();
    const stalled = await me(token);
    expect(stalled.status).toBe(503);
    expect(stalled.headers.getSetCookie()).toEqual([]);
    expect((await recovered(token)).status).toBe(200);
  });
});
