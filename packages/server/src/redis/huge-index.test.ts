import { Hono } from 'hono';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionEnv, session } from '../index.js';
import { credentialRecord, sessionRecord } from '../testing/index.js';
import { redisStore } from './index.js';
import { type OwnRedis, ownRedis } from './redis.fixture.js';

/**
 * A user with very many sessions (a bot, or an attacker holding the password and signing
 * in in a loop). The store sent one HGETALL (or DELETE script) per index entry all at
 * once, each under its own `commandTimeoutMs`: past some size the later ones timed out, so
 * listing, revoke-all and even every sign-in of that user (the create's sweep) rejected,
 * for good. 40k entries under a 250 ms limit stand for 100k under the default 1 s (which
 * failed the same way). On a redis-server of its own, so the keys never touch the shared one.
 */

const N = 40_000;
const commandTimeoutMs = 250;
const HOUR = 3_600_000;
let server: OwnRedis;
let client: Redis;

async function seedSessions(prefix: string, userId: string): Promise<void> {
  const store = redisStore({ client, prefix });
  const now = Date.now();
  await store.create('seed', sessionRecord({ userId, data: { cart: ['apple'] } }), now + 9 * HOUR);
  const fields = await client.hgetall(`${prefix}s:{seed}`);
  let batch = client.pipeline();
  for (let i = 0; i < N; i++) {
    batch.hset(`${prefix}s:{bulk-${i}}`, fields);
    batch.pexpireat(`${prefix}s:{bulk-${i}}`, now + 9 * HOUR);
    batch.zadd(`${prefix}u:{${userId}}:s`, now, `bulk-${i}`);
    if (i % 5000 === 4999) {
      await batch.exec();
      batch = client.pipeline();
    }
  }
  await batch.exec();
}

beforeAll(async () => {
  server = await ownRedis();
  client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  await seedSessions('big:', 'big');
}, 120_000);
afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

describe('redisStore: a user index with 40k entries', () => {
  it('lists the user (revoke-all reads this listing) instead of timing out', async () => {
    const store = redisStore({ client, prefix: 'big:', commandTimeoutMs });
    const listed = await store.listByUser('big');
    expect(listed).toHaveLength(N + 1);
  }, 120_000);

  it('still lets that user sign in on a fresh instance (the sweep of create does not make it fail)', async () => {
    const store = redisStore({ client, prefix: 'big:', commandTimeoutMs });
    const sizeBefore = await client.zcard('big:u:{big}:s');
    const outcome = await store
      .create('login-1', sessionRecord({ userId: 'big' }), Date.now() + 9 * HOUR)
      .then(
        (created) => ({ created }),
        (error: Error) => ({ error: error.message }),
      );
    // A rejection means a 503 for the login, while the record and its index entry were
    // written anyway: each retry grows the index further.
    expect(outcome).toEqual({ created: true });
    expect(await client.zcard('big:u:{big}:s')).toBe(sizeBefore + 1);
    await store.settled();
  }, 120_000);

  it('signs that user in through session() within its storeTimeout (the sweep runs after the answer)', async () => {
    // A fresh instance: the create's index sweep is due, and reading 40k records takes
    // longer than the middleware's bound on the whole store call.
    const store = redisStore({ client, prefix: 'big:', commandTimeoutMs });
    const app = new Hono<SessionEnv>();
    app.use(session({ store, storeTimeout: 300 }));
    app.get('/me', (c) => c.json({ state: c.var.session.state }));
    app.post('/login', async (c) => {
      await c.var.session.regenerate({ userId: 'big' });
      return c.json({ ok: true });
    });
    const login = await app.request('http://localhost/login', { method: 'POST' });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const me = await app.request('http://localhost/me', { headers: { Cookie: cookie } });
    expect(await me.json()).toEqual({ state: 'active' });
    await store.settled();
  }, 120_000);

  it("does not stall other users' requests on the same connection while it lists that user", async () => {
    await client.ping(); // the connection drained of the earlier tests' commands
    let listingStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      listingStarted = resolve;
    });
    // The app's client as it is, only telling the test when the listing's reads go out.
    const watched = {
      evalsha: client.evalsha.bind(client),
      eval: client.eval.bind(client),
      hgetall: client.hgetall.bind(client),
      call: (command: string, ...args: Array<string | number>) => {
        if (String(args[0]).includes('bulk-')) listingStarted();
        return client.call(command, ...args);
      },
    };
    const store = redisStore({ client: watched, prefix: 'big:', commandTimeoutMs });
    await store.create('other-user', sessionRecord({ userId: 'carol' }), Date.now() + HOUR);
    const listing = store.listByUser('big').catch(() => null);
    await started;
    // An ordinary request of another user, arriving while the listing is under way.
    const other = await store.get('other-user').then(
      (record) => ({ userId: record?.userId }),
      (error: Error) => ({ error: error.message }),
    );
    await listing;
    expect(other).toEqual({ userId: 'carol' });
  }, 120_000);

  it('deletes the credentials of a user with 40k of them (revoke-all) instead of timing out', async () => {
    await client.ping(); // the connection drained of the earlier tests' commands
    const prefix = 'bigc:';
    const store = redisStore({ client, prefix, commandTimeoutMs });
    await store.createCredential('seed', credentialRecord('big'));
    const fields = await client.hgetall(`${prefix}c:{seed}`);
    const now = Date.now();
    let batch = client.pipeline();
    for (let i = 0; i < N; i++) {
      batch.hset(`${prefix}c:{bulk-${i}}`, fields);
      batch.zadd(`${prefix}u:{big}:c`, now, `bulk-${i}`);
      if (i % 5000 === 4999) {
        await batch.exec();
        batch = client.pipeline();
      }
    }
    await batch.exec();
    await expect(store.deleteCredentialsOfUser('big')).resolves.toBeUndefined();
    expect(await client.exists(`${prefix}c:{bulk-${N - 1}}`)).toBe(0);
  }, 120_000);
});
