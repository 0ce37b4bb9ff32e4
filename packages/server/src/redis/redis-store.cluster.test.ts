import { Hono } from 'hono';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionEnv, session } from '../index.js';
import { describeStoreConformance, sessionRecord } from '../testing/index.js';
import { type OwnRedisCluster, ownRedisCluster } from './cluster.fixture.js';
import { redisStore } from './index.js';

/**
 * The Redis store on a real Redis Cluster of three masters, started by this file: a
 * script naming keys of two slots fails here with CROSSSLOT, as it would in production.
 */
const HOUR = 3_600_000;
let cluster: OwnRedisCluster;
let client: Cluster;
const extraClients: Cluster[] = [];

beforeAll(async () => {
  cluster = await ownRedisCluster(3);
  client = await cluster.connect();
}, 30_000);
afterAll(async () => {
  // Undefined when start-up failed; beforeAll has reported why.
  for (const c of [client, ...extraClients]) c?.disconnect();
  await cluster?.stop();
});

// No `cluster` option: an ioredis Cluster client turns cluster mode on by itself.
describeStoreConformance('redisStore on a real Redis Cluster', () =>
  redisStore({ client, prefix: 'conformance:' }),
);

describe('redisStore on a real Redis Cluster', () => {
  it("spreads sessions over every master while each user's index lists them all", async () => {
    const store = redisStore({ client, prefix: 'spread:' });
    const until = Date.now() + HOUR;
    const sids = Array.from({ length: 30 }, (_, i) => `sid-${i}`);
    for (const sid of sids) {
      expect(await store.create(sid, sessionRecord({ userId: 'ada' }), until)).toBe(true);
    }
    const perMaster = await Promise.all(
      client.nodes('master').map(async (node) => (await node.keys('spread:s:*')).length),
    );
    expect(perMaster).toHaveLength(3);
    for (const count of perMaster) expect(count).toBeGreaterThan(0);
    expect(perMaster.reduce((a, b) => a + b)).toBe(30);
    const listed = await store.listByUser('ada');
    expect(listed.map((s) => s.sid).sort()).toEqual([...sids].sort());
  });

  it("ends a user's sessions and credentials though their index holds a member with no hash tag", async () => {
    const reports: string[] = [];
    const store = redisStore({
      client,
      prefix: 'foreign:',
      onCorrupt: (e) => reports.push(`${e.kind} ${e.issue}`),
    });
    const { manager } = session({ store });
    const now = Date.now();
    expect(await store.create('live-sid', sessionRecord({ userId: 'bob' }), now + HOUR)).toBe(true);
    const credential = { tokenHash: 'h', userId: 'bob', createdAt: now, expiresAt: now + HOUR };
    expect(await store.createCredential!('real-cred', credential)).toBe(true);
    // A foreign writer (or a bad restore) left entries no create of the store could make:
    // `c:{}junk}` and `c:{}junk}:previous` would hash to different slots.
    await client.zadd('foreign:u:{bob}:c', now, '}junk', now, '');
    await client.zadd('foreign:u:{bob}:s', now, '}junk');
    await expect(manager.revokeUser('bob')).resolves.toBe(1);
    expect((await store.get('live-sid'))?.ended?.reason).toBe('revoked');
    expect(await store.getCredential!('real-cred')).toBeNull();
    expect(reports).toContain('user-index member with no hash tag (removed)');
    expect(await client.zrange('foreign:u:{bob}:c', 0, -1)).not.toContain('}junk');
  });

  it('refuses `cluster: false` with a Cluster client at start-up, naming the option', () => {
    expect(() => redisStore({ client, cluster: false })).toThrow(/`cluster: false`/);
  });
});

describe('two server instances on one Redis Cluster', () => {
  async function instance() {
    const own = await cluster.connect();
    extraClients.push(own);
    const middleware = session({ store: redisStore({ client: own, prefix: 'apps:' }) });
    const app = new Hono<SessionEnv>();
    app.use(middleware);
    app.get('/me', (c) => c.json({ state: c.var.session.state, user: c.var.session.userId }));
    app.post('/login/:user', async (c) => {
      await c.var.session.regenerate({ userId: c.req.param('user') });
      return c.json({ ok: true });
    });
    return { app, manager: middleware.manager };
  }

  async function login(on: Hono<SessionEnv>, user: string): Promise<string> {
    const res = await on.request(`http://localhost/login/${user}`, { method: 'POST' });
    const line = res.headers.getSetCookie().find((l) => l.startsWith('lifeline='));
    return line!.split(';')[0]!;
  }

  const me = async (on: Hono<SessionEnv>, cookie: string) =>
    (await on.request('http://localhost/me', { headers: { Cookie: cookie } })).json();

  it("uses A's sessions on B, and A's revoke-all ends every one of them on B", async () => {
    const [a, b] = [await instance(), await instance()];
    const cookies = [await login(a.app, 'grace'), await login(b.app, 'grace')];
    const other = await login(a.app, 'hal');
    for (const cookie of cookies) {
      expect(await me(b.app, cookie)).toEqual({ state: 'active', user: 'grace' });
    }
    expect(await a.manager.revokeUser('grace')).toBe(2);
    for (const cookie of cookies) expect((await me(b.app, cookie)).state).toBe('none');
    expect(await me(b.app, other)).toEqual({ state: 'active', user: 'hal' });
  });
});
