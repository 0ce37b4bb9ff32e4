import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type Redis from 'ioredis';
import { createClientPool, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionEnv, session } from '../index.js';
import { describeStoreConformance, sessionRecord } from '../testing/index.js';
import {
  fromNodeRedis,
  type RedisArg,
  type RedisClient,
  type RedisCorruption,
  redisStore,
} from './index.js';
import { connectNodeRedis, type NodeRedis } from './node-redis.fixture.js';
import {
  connectRedis,
  deleteKeys,
  type OwnRedis,
  ownRedis,
  uniquePrefix,
} from './redis.fixture.js';
import * as lua from './scripts.js';

/**
 * The Redis store through node-redis (`fromNodeRedis`), on the same Redis as the ioredis
 * suites: RESP3 (node-redis 6's default) and RESP2 (node-redis 5's default).
 */
const HOUR = 3_600_000;
const prefix = uniquePrefix('node-redis');
let ioredis: Redis;
let resp3: NodeRedis;
let resp2: NodeRedis;
const extra: NodeRedis[] = [];

beforeAll(async () => {
  ioredis = await connectRedis();
  resp3 = await connectNodeRedis();
  resp2 = await connectNodeRedis({ RESP: 2 });
});
afterAll(async () => {
  // Undefined when connecting failed: beforeAll has reported why.
  if (ioredis !== undefined) await deleteKeys(ioredis, prefix);
  for (const client of [resp3, resp2, ...extra]) client?.destroy();
  ioredis?.disconnect();
});

describeStoreConformance('redisStore through node-redis (RESP3)', () =>
  redisStore({ client: fromNodeRedis(resp3), prefix: `${prefix}resp3:` }),
);
describeStoreConformance('redisStore through node-redis (RESP2)', () =>
  redisStore({ client: fromNodeRedis(resp2), prefix: `${prefix}resp2:` }),
);

describe('fromNodeRedis', () => {
  const both = () =>
    [
      ['RESP3', fromNodeRedis(resp3)],
      ['RESP2', fromNodeRedis(resp2)],
    ] as const;

  const replies: Array<[string, (client: RedisClient) => Promise<unknown>]> = [
    [
      'a Lua table as an array',
      (c) => c.eval('return {KEYS[1], ARGV[1], ARGV[2]}', 1, 'k', 42, 'x'),
    ],
    ['an empty Lua table as []', (c) => c.eval('return {}', 0)],
    ['Lua nil as null', (c) => c.eval('return nil', 0)],
    ['Lua false as null', (c) => c.eval('return false', 0)],
    ['an integer as a number', (c) => c.eval('return -1', 0)],
    ['a status as its text', (c) => c.eval("return 'ok'", 0)],
    ['a missing hash as {}', (c) => c.hgetall(`${prefix}absent`)],
    ['a hash as an object of strings', (c) => c.hgetall(`${prefix}hash`)],
  ];

  it.each(replies)('answers %s, as ioredis does', async (_, run) => {
    await ioredis.hset(`${prefix}hash`, 'd:a', '1', 'm:b', '"x"');
    const expected = await run(ioredis);
    for (const [protocol, client] of both()) {
      expect([protocol, await run(client)]).toEqual([protocol, expected]);
    }
  });

  const failures: Array<[string, RegExp, (client: RedisClient) => Promise<unknown>]> = [
    ['an unknown script', /^NOSCRIPT /, (c) => c.evalsha('0'.repeat(40), 0)],
    ['HGETALL of a string', /^WRONGTYPE /, (c) => c.hgetall(`${prefix}string`)],
    [
      'a script reading a string as a hash',
      /^WRONGTYPE /,
      (c) => c.eval("return redis.call('HGETALL', KEYS[1])", 1, `${prefix}string`),
    ],
  ];

  it.each(failures)(
    'rejects %s with the server message, as ioredis does',
    async (_, start, run) => {
      await ioredis.set(`${prefix}string`, 'x');
      const message = (client: RedisClient) =>
        run(client).then(
          () => 'resolved',
          (error: Error) => error.message,
        );
      const expected = await message(ioredis);
      expect(expected).toMatch(start);
      for (const [protocol, client] of both()) {
        expect([protocol, await message(client)]).toEqual([protocol, expected]);
      }
    },
  );

  it('says whether the client is a cluster, and refuses what is not a node-redis client', () => {
    expect(fromNodeRedis(resp3).isCluster).toBe(false);
    expect(() => fromNodeRedis(ioredis as never)).toThrow(/expected a node-redis client/);
    expect(() => fromNodeRedis(undefined as never)).toThrow(/expected a node-redis client/);
  });

  it('reads with a raw HGETALL (pairs on RESP2), except through a client with its own keyPrefix', async () => {
    await ioredis.hset(`${prefix}raw`, 'd:a', '1');
    // The store's decoder takes either shape; the raw command spares node-redis's own step.
    expect(await fromNodeRedis(resp2).call?.('HGETALL', `${prefix}raw`)).toEqual(['d:a', '1']);
    expect(await fromNodeRedis(resp3).call?.('HGETALL', `${prefix}raw`)).toEqual({ 'd:a': '1' });
    // A raw command is sent as is, so the client's keyPrefix would be skipped.
    const prefixed = await connectNodeRedis({ keyPrefix: `${prefix}raw-kp:` });
    extra.push(prefixed);
    expect(fromNodeRedis(prefixed).call).toBeUndefined();
  });

  it("keeps a client pool's keyPrefix on reads: a pool reads through hGetAll", async () => {
    // A pool keeps the prefix to itself (no `options`), and its `sendCommand` would skip it.
    const pool = createClientPool({
      url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      disableOfflineQueue: true,
      keyPrefix: `${prefix}pool:`,
    });
    pool.on('error', () => {});
    await pool.connect();
    try {
      const adapted = fromNodeRedis(pool);
      expect(adapted.call).toBeUndefined();
      const store = redisStore({ client: adapted, prefix: 'app:' });
      await store.create('p', sessionRecord({ userId: 'pat' }), Date.now() + HOUR);
      expect(await ioredis.exists(`${prefix}pool:app:s:{p}`)).toBe(1);
      expect((await store.get('p'))?.userId).toBe('pat');
    } finally {
      pool.destroy();
    }
  });

  it("gives the store default replies whatever the client's own typeMapping", async () => {
    const mapped = await connectNodeRedis({
      commandOptions: {
        typeMapping: { [RESP_TYPES.MAP]: Map, [RESP_TYPES.BLOB_STRING]: Buffer },
      },
    });
    extra.push(mapped);
    await ioredis.hset(`${prefix}hash`, 'd:a', '1');
    expect(await mapped.hGetAll(`${prefix}hash`)).toBeInstanceOf(Map);
    const store = redisStore({ client: fromNodeRedis(mapped), prefix: `${prefix}mapped:` });
    const until = Date.now() + HOUR;
    await store.create('m', sessionRecord({ userId: 'mia', data: { a: 1 } }), until);
    expect(await store.get('m')).toMatchObject({ userId: 'mia', data: { a: 1 } });
    expect((await store.listByUser('mia')).map((s) => s.sid)).toEqual(['m']);
  });

  it("keeps every key under the client's own keyPrefix, reads included", async () => {
    const prefixed = await connectNodeRedis({ keyPrefix: `${prefix}kp:` });
    extra.push(prefixed);
    const store = redisStore({ client: fromNodeRedis(prefixed), prefix: 'app:' });
    await store.create('k', sessionRecord({ userId: 'kim' }), Date.now() + HOUR);
    expect(await ioredis.exists(`${prefix}kp:app:s:{k}`)).toBe(1);
    expect((await store.get('k'))?.userId).toBe('kim');
    expect((await store.listByUser('kim')).map((s) => s.sid)).toEqual(['k']);
  });
});

describe('redisStore through node-redis with bad store content', () => {
  const reports: RedisCorruption[] = [];
  const store = () =>
    redisStore({
      client: fromNodeRedis(resp3),
      prefix: `${prefix}bad:`,
      onCorrupt: (event) => reports.push(event),
    });

  it('reads a key of another type (WRONGTYPE) as no session or credential, and reports it', async () => {
    await ioredis.set(`${prefix}bad:s:{foreign}`, 'not a hash');
    await ioredis.set(`${prefix}bad:c:{foreign}`, 'not a hash');
    const s = store();
    expect(await s.get('foreign')).toBeNull();
    const now = Date.now();
    const touch = { tokenHash: 'x', dueAtOrBefore: now, now, idleExpiresAt: now + HOUR };
    expect(await s.getAndTouch!('foreign', touch)).toBeNull();
    expect(await s.getCredential('foreign')).toBeNull();
    expect(reports.slice(-3)).toEqual([
      { kind: 'session', id: 'foreign', issue: 'key is not a hash' },
      { kind: 'session', id: 'foreign', issue: 'key is not a hash' },
      { kind: 'credential', id: 'foreign', issue: 'key is not a hash' },
    ]);
  });

  it('never writes into a key of another type, and never throws for one', async () => {
    const s = store();
    const at = Date.now();
    expect(await s.update('foreign', { set: { a: 1 } }, at + HOUR)).toBe('missing');
    expect(await s.end('foreign', { reason: 'revoked', at }, at + HOUR)).toBe('missing');
    expect(await s.create('foreign', sessionRecord(), at + HOUR)).toBe(false);
    expect(await ioredis.get(`${prefix}bad:s:{foreign}`)).toBe('not a hash');
  });

  it('reads a hash with a field outside the layout as no session, and reports it', async () => {
    const s = store();
    await s.create('outside', sessionRecord({ data: { a: 1 } }), Date.now() + HOUR);
    await ioredis.hset(`${prefix}bad:s:{outside}`, 'foreign', '1');
    const before = reports.length;
    expect(await s.get('outside')).toBeNull();
    expect(reports.slice(before)).toEqual([
      { kind: 'session', id: 'outside', issue: 'unexpected field foreign' },
    ]);
  });
});

describe('redisStore through node-redis after SCRIPT FLUSH', () => {
  // A server of its own: flushing the shared one would add commands to other files' counts.
  let server: OwnRedis;
  let client: NodeRedis;

  beforeAll(async () => {
    server = await ownRedis();
    client = await connectNodeRedis({}, server.url);
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('falls back to EVAL on NOSCRIPT, which caches the script again', async () => {
    const sent: string[] = [];
    const adapted = fromNodeRedis(client);
    const counted: RedisClient = {
      ...adapted,
      evalsha(sha, n, ...rest: RedisArg[]) {
        sent.push('evalsha');
        return adapted.evalsha(sha, n, ...rest);
      },
      eval(script, n, ...rest: RedisArg[]) {
        sent.push('eval');
        return adapted.eval(script, n, ...rest);
      },
    };
    const store = redisStore({ client: counted });
    // One expiry throughout: an update that lengthens a user's record also moves its index.
    const expiresAt = Date.now() + HOUR;
    await store.create('s', sessionRecord({ userId: 'sam', data: { a: 1 } }), expiresAt);
    await client.scriptFlush();
    const sha = createHash('sha1').update(lua.SESSION_UPDATE).digest('hex');
    expect(await client.scriptExists(sha)).toEqual([0]);

    sent.length = 0;
    expect(await store.update('s', { set: { a: 2 } }, expiresAt)).toBe('ok');
    expect(sent).toEqual(['evalsha', 'eval']);
    expect(await client.scriptExists(sha)).toEqual([1]);
    sent.length = 0;
    expect(await store.update('s', { set: { a: 3 } }, expiresAt)).toBe('ok');
    expect(sent).toEqual(['evalsha']);
    expect((await store.get('s'))?.data).toEqual({ a: 3 });
  });
});

describe('an app on ioredis and an app on node-redis sharing one Redis and prefix', () => {
  function app(client: RedisClient) {
    const middleware = session({ store: redisStore({ client, prefix: `${prefix}apps:` }) });
    const hono = new Hono<SessionEnv>();
    hono.use(middleware);
    hono.get('/me', (c) =>
      c.json({
        state: c.var.session.state,
        user: c.var.session.userId,
        cart: c.var.session.get('cart') ?? null,
      }),
    );
    hono.post('/login/:user', async (c) => {
      await c.var.session.regenerate({ userId: c.req.param('user') });
      return c.json({ ok: true });
    });
    hono.post('/cart/:item', (c) => {
      c.var.session.set('cart', c.req.param('item'));
      return c.json({ ok: true });
    });
    return { hono, manager: middleware.manager };
  }

  async function login(on: Hono<SessionEnv>, user: string): Promise<string> {
    const res = await on.request(`http://localhost/login/${user}`, { method: 'POST' });
    const line = res.headers.getSetCookie().find((l) => l.startsWith('lifeline='));
    return line!.split(';')[0]!;
  }
  const send = async (on: Hono<SessionEnv>, method: string, path: string, cookie: string) =>
    (await on.request(`http://localhost${path}`, { method, headers: { Cookie: cookie } })).json();

  it("uses each other's sessions and writes; revoke-all on one ends them on the other", async () => {
    const a = app(ioredis);
    const b = app(fromNodeRedis(resp3));
    const fromA = await login(a.hono, 'ivy');
    expect(await send(b.hono, 'GET', '/me', fromA)).toEqual({
      state: 'active',
      user: 'ivy',
      cart: null,
    });
    await send(b.hono, 'POST', '/cart/pear', fromA);
    expect((await send(a.hono, 'GET', '/me', fromA)).cart).toBe('pear');

    const fromB = await login(b.hono, 'ivy');
    await send(a.hono, 'POST', '/cart/fig', fromB);
    expect(await send(b.hono, 'GET', '/me', fromB)).toEqual({
      state: 'active',
      user: 'ivy',
      cart: 'fig',
    });

    const other = await login(a.hono, 'jay');
    expect(await b.manager.revokeUser('ivy')).toBe(2);
    for (const cookie of [fromA, fromB]) {
      expect((await send(a.hono, 'GET', '/me', cookie)).state).toBe('none');
    }
    expect((await send(b.hono, 'GET', '/me', other)).user).toBe('jay');
  });
});
