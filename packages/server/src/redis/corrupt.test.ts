import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { MAX_DATA_DEPTH } from '../contract/depth.js';
import { sessionCookie, testApp, withCookie } from '../session/app.fixture.js';
import type { SessionStore } from '../store/types.js';
import { sessionRecord } from '../testing/index.js';
import { type RedisCorruption, redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

let client: Redis;
let store: SessionStore;
/** The same store through a client without `call`: session reads use `hgetall`'s object. */
let objectStore: SessionStore;
const prefix = uniquePrefix('corrupt');
const reports: RedisCorruption[] = [];
const HOUR = 3_600_000;
/** JSON nested deeper than a recursive validator's stack allows. */
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

/** A valid stored session hash for `sid`, so each case can break one thing. */
async function storeValid(sid: string, userId: string | null = null): Promise<string> {
  await store.create(sid, sessionRecord({ userId, data: { a: 1 } }), Date.now() + HOUR);
  return `${prefix}s:{${sid}}`;
}

useRedis(
  () => prefix,
  (c) => {
    client = c;
    store = redisStore({ client, prefix, onCorrupt: (event) => reports.push(event) });
    const withoutCall = {
      evalsha: client.evalsha.bind(client),
      eval: client.eval.bind(client),
      hgetall: client.hgetall.bind(client),
    };
    objectStore = redisStore({
      client: withoutCall,
      prefix,
      onCorrupt: (event) => reports.push(event),
    });
  },
);

describe('redisStore with bad store content', () => {
  const breakages: Array<[string, (key: string) => Promise<unknown>]> = [
    ['a meta field is not JSON', (key) => client.hset(key, 'm:createdAt', '{oops')],
    ['a data field is not JSON', (key) => client.hset(key, 'd:a', 'undefined')],
    ['a meta field is missing', (key) => client.hdel(key, 'm:tokenHash')],
    ['a meta field has the wrong type', (key) => client.hset(key, 'm:createdAt', '"yesterday"')],
    ['the credential id is not a string', (key) => client.hset(key, 'm:credentialId', '42')],
    ['the end reason is unknown', (key) => client.hset(key, 'm:ended', '{"reason":"x","at":1}')],
    ['a field is outside the layout', (key) => client.hset(key, 'foreign', '1')],
    // Valid JSON the status route could not serialise again (a 500 there).
    ['the user claims nest deeply', (key) => client.hset(key, 'm:user', `{"x":${DEEP}}`)],
    // Read as live by JSON, as ended by the scripts, which compare the stored text: every
    // write would be refused unsaid.
    [
      'a live record spells its m:ended null otherwise',
      (key) => client.hset(key, 'm:ended', ' null'),
    ],
    [
      'the token hash is stored with escapes',
      async (key) => {
        const stored = String(await client.hget(key, 'm:tokenHash'));
        const escaped = `"\\u${stored.charCodeAt(1).toString(16).padStart(4, '0')}${stored.slice(2)}`;
        return client.hset(key, 'm:tokenHash', escaped);
      },
    ],
    // Valid JSON that no write could serialise again: a sign-in, which copies the data,
    // would fail with a 503 every time.
    ['a data value nests deeply', (key) => client.hset(key, 'd:deep', DEEP)],
    // `JSON.parse` reads these as Infinity, which no write takes.
    ['a data value holds a number beyond a double', (key) => client.hset(key, 'd:big', '1e400')],
    [
      'a data value holds a run of digits beyond a double',
      (key) => client.hset(key, 'd:big', `[-${'9'.repeat(400)}]`),
    ],
    [
      'the user claims hold a number beyond a double',
      (key) => client.hset(key, 'm:user', '{"name":"ada","n":1E+400}'),
    ],
    // A wrong field sends the record to the schema, which walks `user` recursively.
    [
      'a meta field has the wrong type and the user claims nest deeply',
      (key) => client.hset(key, 'm:createdAt', '"yesterday"', 'm:user', `{"x":${DEEP}}`),
    ],
  ];

  it.each(breakages)('reads as no session and reports it when %s', async (_, breakIt) => {
    const sid = `bad-${reports.length}-${Math.random()}`;
    await breakIt(await storeValid(sid));
    const before = reports.length;
    expect(await store.get(sid)).toBeNull();
    expect(reports.slice(before)).toEqual([
      { kind: 'session', id: sid, issue: expect.any(String) },
    ]);
  });

  it.each(breakages)(
    'reads as no session through hgetall too, and reports it, when %s',
    async (_, breakIt) => {
      const sid = `bad-object-${reports.length}-${Math.random()}`;
      await breakIt(await storeValid(sid));
      const before = reports.length;
      expect(await objectStore.get(sid)).toBeNull();
      expect(reports.slice(before)).toEqual([
        { kind: 'session', id: sid, issue: expect.any(String) },
      ]);
    },
  );

  it('reads the same record through call and through hgetall', async () => {
    const sid = `same-${Math.random()}`;
    await storeValid(sid, 'dave');
    const viaCall = await store.get(sid);
    expect(viaCall).toMatchObject({ userId: 'dave', data: { a: 1 } });
    expect(await objectStore.get(sid)).toStrictEqual(viaCall);
    expect(await objectStore.get('absent')).toBeNull();
    expect(await store.get('absent')).toBeNull();
  });

  it.each(breakages)(
    'reads as no session with its touch, and reports it, when %s',
    async (_, breakIt) => {
      const sid = `bad-touch-${reports.length}-${Math.random()}`;
      await breakIt(await storeValid(sid));
      const before = reports.length;
      const now = Date.now() + 5 * 60_000;
      const touch = { tokenHash: 'any', dueAtOrBefore: now, now, idleExpiresAt: now + HOUR };
      expect(await store.getAndTouch!(sid, touch)).toBeNull();
      expect(reports.slice(before)).toEqual([
        { kind: 'session', id: sid, issue: expect.any(String) },
      ]);
    },
  );

  it.each([
    ['nested too deep', DEEP, /d:odd nests deeper/],
    ['with a number beyond a double', '{"n":1e400}', /d:odd holds Infinity/],
  ])(
    'lets a browser whose session holds a data value %s sign in again, and reports it once',
    async (_, stored, issue) => {
      const { app } = testApp({ store, now: Date.now });
      const cart = `x-${Math.random()}`;
      const first = await app.request(`/write/cart/${cart}`, { method: 'POST' });
      const token = sessionCookie(first)!;
      for (const key of await client.keys(`${prefix}s:*`)) {
        if ((await client.type(key)) !== 'hash') continue;
        if ((await client.hget(key, 'd:cart')) === `"${cart}"`)
          await client.hset(key, 'd:odd', stored);
      }
      const before = reports.length;
      const login = await app.request('/login/ann', withCookie(token, { method: 'POST' }));
      expect(login.status).toBe(200);
      expect(reports.slice(before)).toEqual([
        { kind: 'session', id: expect.any(String), issue: expect.stringMatching(issue) },
      ]);
      const read = await app.request('/read', withCookie(sessionCookie(login)!));
      expect(await read.json()).toMatchObject({ state: 'active', userId: 'ann', cart: null });
    },
  );

  it('reads data nested as deep as a write may go, and refuses to write deeper', async () => {
    const nested = (levels: number) => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
    const key = await storeValid('deep-data');
    const at = Date.now() + HOUR;
    expect(await store.update('deep-data', { set: { ok: nested(MAX_DATA_DEPTH) } }, at)).toBe('ok');
    expect((await store.get('deep-data'))?.data.ok).toEqual(nested(MAX_DATA_DEPTH));
    const deeper = store.update('deep-data', { set: { no: nested(MAX_DATA_DEPTH + 1) } }, at);
    await expect(deeper).rejects.toThrow(TypeError);
    const record = sessionRecord({ data: { no: nested(MAX_DATA_DEPTH + 1) } });
    await expect(store.create('deep-create', record, at)).rejects.toThrow(TypeError);
    expect(await client.hexists(key, 'd:no')).toBe(0);
    expect(await client.exists(`${prefix}s:{deep-create}`)).toBe(0);
  });

  it('reads a foreign key of another type under the prefix as no session', async () => {
    await client.set(`${prefix}s:{foreign}`, 'not a hash');
    expect(await store.get('foreign')).toBeNull();
    expect(reports.at(-1)).toEqual({ kind: 'session', id: 'foreign', issue: 'key is not a hash' });
    const now = Date.now();
    const touch = { tokenHash: 'x', dueAtOrBefore: now, now, idleExpiresAt: now + HOUR };
    expect(await store.getAndTouch!('foreign', touch)).toBeNull();
    expect(reports.at(-1)).toEqual({ kind: 'session', id: 'foreign', issue: 'key is not a hash' });
    expect(await client.get(`${prefix}s:{foreign}`)).toBe('not a hash');
  });

  it('reads a hash whose only meta field is m:__proto__ as corrupt, not as a session', async () => {
    const sid = `proto-${Math.random()}`;
    const { data: _data, ...meta } = sessionRecord();
    await client.hset(`${prefix}s:{${sid}}`, 'm:__proto__', JSON.stringify(meta));
    const before = reports.length;
    expect(await store.get(sid)).toBeNull();
    expect(reports.slice(before)).toEqual([
      { kind: 'session', id: sid, issue: expect.any(String) },
    ]);
  });

  it('never touches a hash whose deadlines are not numbers, and reports it', async () => {
    const sid = `bad-deadline-${Math.random()}`;
    const key = await storeValid(sid);
    await client.hset(key, 'm:idleExpiresAt', '"soon"');
    const tokenHash = JSON.parse((await client.hget(key, 'm:tokenHash'))!) as string;
    const now = Date.now() + 5 * 60_000;
    const touch = { tokenHash, dueAtOrBefore: now, now, idleExpiresAt: now + HOUR };
    expect(await store.getAndTouch!(sid, touch)).toBeNull();
    expect(await client.hget(key, 'm:lastActiveAt')).not.toBe(String(now));
    expect(reports.at(-1)?.id).toBe(sid);
  });

  it('never writes into a foreign key, and never throws for one', async () => {
    await client.set(`${prefix}s:{foreign-w}`, 'not a hash');
    const at = Date.now();
    expect(await store.update('foreign-w', { set: { a: 1 } }, at + HOUR)).toBe('missing');
    expect(await store.end('foreign-w', { reason: 'revoked', at }, at + HOUR)).toBe('missing');
    const swap = {
      expectedTokenHash: 'x',
      tokenHash: 'y',
      previous: { tokenHash: 'x', until: at, sealedSuccessor: 's' },
      rotatedAt: at,
    };
    expect(await store.rotate('foreign-w', swap, at + HOUR)).toBe('missing');
    expect(await store.create('foreign-w', sessionRecord(), at + HOUR)).toBe(false);
    expect(await client.get(`${prefix}s:{foreign-w}`)).toBe('not a hash');
  });

  it('keeps a stored __proto__ data key as plain data', async () => {
    const key = await storeValid('proto');
    await client.hset(key, 'd:__proto__', '{"polluted":true}');
    const got = await store.get('proto');
    expect(Object.getPrototypeOf(got?.data)).toBe(Object.prototype);
    expect(Object.hasOwn(got?.data ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves a corrupt record out of its user list and prunes it from the index', async () => {
    const key = await storeValid('bad-listed', 'carol');
    await storeValid('good-listed', 'carol');
    await client.hset(key, 'm:userId', '42');
    const listed = await store.listByUser('carol');
    expect(listed.map((l) => l.sid)).toEqual(['good-listed']);
    expect(await client.zrange(`${prefix}u:{carol}:s`, 0, -1)).toEqual(['good-listed']);
  });

  it('leaves a corrupt record too deep to validate out of its user list, without throwing', async () => {
    const key = await storeValid('deep-listed', 'erin');
    await storeValid('good-deep-listed', 'erin');
    await client.hset(key, 'm:userId', '42', 'm:user', `{"x":${DEEP}}`);
    const listed = await store.listByUser('erin');
    expect(listed.map((l) => l.sid)).toEqual(['good-deep-listed']);
  });

  it.each<[string, (key: string) => Promise<unknown>]>([
    ['of another type', (key) => client.rpush(key, 'x')],
    ['not JSON', (key) => client.set(key, '{oops')],
    ['JSON of the wrong shape', (key) => client.set(key, '{"tokenHash":"p","until":"soon"}')],
  ])(
    'reads a credential whose predecessor key is %s as having none, reports it, and a rotation replaces it',
    async (_, breakIt) => {
      const id = `bad-previous-${Math.random()}`;
      const record = { tokenHash: 't', userId: 'u', createdAt: 1, expiresAt: Date.now() + HOUR };
      await store.createCredential(id, record);
      await breakIt(`${prefix}c:{${id}}:previous`);
      const before = reports.length;
      expect(await store.getCredential(id)).toEqual(record);
      expect(reports.slice(before)).toEqual([
        { kind: 'credential', id, issue: expect.stringMatching(/^previous: /) },
      ]);
      const previous = { tokenHash: 't', until: Date.now() + HOUR, sealedSuccessor: 's' };
      expect(await store.rotateCredential(id, 't', 'n', record.expiresAt, previous)).toBe('ok');
      expect((await store.getCredential(id))?.previous).toEqual(previous);
    },
  );

  it('reads a corrupt or foreign credential as none and reports it', async () => {
    await client.set(`${prefix}c:{foreign}`, 'x');
    await client.hset(`${prefix}c:{partial}`, 'tokenHash', '"t"', 'userId', '"u"');
    const whole = ['tokenHash', '"t"', 'userId', '"u"', 'createdAt', '1', 'expiresAt', '2'];
    await client.hset(`${prefix}c:{previous}`, ...whole, 'previous', '{"tokenHash":"p"}');
    // A field outside the layout, as a session hash's is (it re-authenticated, unreported).
    await client.hset(`${prefix}c:{stray}`, ...whole, 'foreign', 'not json at all');
    await client.hset(`${prefix}c:{extra}`, ...whole, 'device', '"phone"');
    expect(await store.getCredential('foreign')).toBeNull();
    expect(await store.getCredential('partial')).toBeNull();
    expect(await store.getCredential('previous')).toBeNull();
    expect(await store.getCredential('stray')).toBeNull();
    expect(await store.getCredential('extra')).toBeNull();
    expect(reports.slice(-5).map((r) => [r.kind, r.id])).toEqual([
      ['credential', 'foreign'],
      ['credential', 'partial'],
      ['credential', 'previous'],
      ['credential', 'stray'],
      ['credential', 'extra'],
    ]);
  });

  it.each([
    ['user id', 'userId', '"\\u0061lice"'],
    ['token hash', 'tokenHash', '"\\u0074"'],
  ])(
    'reads a credential whose %s is spelt otherwise than the store writes as none, and reports it',
    async (_, field, text) => {
      const id = `spelt-${field}-${Math.random()}`;
      const expiresAt = Date.now() + HOUR;
      await store.createCredential(id, {
        tokenHash: 't',
        userId: 'alice',
        createdAt: 1,
        expiresAt,
      });
      await client.hset(`${prefix}c:{${id}}`, field, text);
      const before = reports.length;
      expect(await store.getCredential(id)).toBeNull();
      expect(reports.slice(before)).toEqual([
        { kind: 'credential', id, issue: `field ${field} is not in the form the store writes` },
      ]);
    },
  );

  it("keeps the index entry of a credential revoke-all could not delete while it is still the user's", async () => {
    const user = `kept-entry-${Math.random()}`;
    const index = `${prefix}u:{${encodeURIComponent(user)}}:c`;
    const expiresAt = Date.now() + HOUR;
    const credential = (userId: string) => ({ tokenHash: 't', userId, createdAt: 1, expiresAt });
    await store.createCredential('c-deleted', credential(user));
    await store.createCredential('c-refused', credential(user));
    await store.createCredential('c-other', credential('someone-else'));
    await client.zadd(index, 2, 'c-other', 3, 'c-gone');
    // DELETE finds c-refused's user id spelt otherwise (as if rewritten in between) and
    // refuses; read again, it is still this user's credential.
    const refusing = redisStore({
      client: {
        evalsha: (sha, n, ...rest) =>
          rest[0] === `${prefix}c:{c-refused}` && rest.length === 3
            ? Promise.resolve(-1)
            : client.evalsha(sha, n, ...rest),
        eval: (script, n, ...rest) => client.eval(script, n, ...rest),
        hgetall: (key) => client.hgetall(key),
        call: (cmd, ...args) => client.call(cmd, ...args),
      },
      prefix,
    });
    await refusing.deleteCredentialsOfUser(user);
    expect(await store.getCredential('c-deleted')).toBeNull();
    expect(await store.getCredential('c-other')).not.toBeNull();
    expect(await client.zrange(index, 0, -1)).toEqual(['c-refused']);
  });

  it.each([
    ['a string', (key: string) => client.set(key, 'x')],
    ['a hash', (key: string) => client.hset(key, 'f', 'v')],
  ])(
    'reads a user index holding %s as empty and reported, and the next sign-in replaces it',
    async (_, breakIt) => {
      for (const cluster of [false, true]) {
        const user = `foreign-index-${Math.random()}`;
        const at = redisStore({ client, prefix, cluster, onCorrupt: (e) => void reports.push(e) });
        const sessions = `${prefix}u:{${encodeURIComponent(user)}}:s`;
        const credentials = `${prefix}u:{${encodeURIComponent(user)}}:c`;
        await breakIt(sessions);
        await breakIt(credentials);
        const before = reports.length;
        // Reads: nothing listed, nothing thrown (they used to fail with WRONGTYPE: a 503).
        expect(await at.listByUser(user)).toEqual([]);
        await at.deleteCredentialsOfUser(user);
        expect(reports.slice(before)).toEqual([
          { kind: 'user-index', id: sessions, issue: 'key is not a sorted set' },
          { kind: 'user-index', id: credentials, issue: 'key is not a sorted set' },
        ]);
        // Writes: the foreign key is replaced by a real index, and that is reported too.
        const expiresAt = Date.now() + HOUR;
        expect(await at.create(`s-${user}`, sessionRecord({ userId: user }), expiresAt)).toBe(true);
        const credential = { tokenHash: 't', userId: user, createdAt: 1, expiresAt };
        expect(await at.createCredential(`c-${user}`, credential)).toBe(true);
        expect((await at.listByUser(user)).map((l) => l.sid)).toEqual([`s-${user}`]);
        expect(await client.zrange(credentials, 0, -1)).toEqual([`c-${user}`]);
        expect(reports.slice(before + 2).map((r) => [r.kind, r.id])).toEqual([
          ['user-index', sessions],
          ['user-index', credentials],
        ]);
      }
    },
  );

  it('skips a credential the user index lists whose key holds another type, when revoking the user', async () => {
    const user = `foreign-credential-${Math.random()}`;
    const expiresAt = Date.now() + HOUR;
    await store.createCredential('c-good', {
      tokenHash: 't',
      userId: user,
      createdAt: 1,
      expiresAt,
    });
    await client.zadd(`${prefix}u:{${encodeURIComponent(user)}}:c`, 2, 'c-foreign');
    await client.set(`${prefix}c:{c-foreign}`, 'x');
    await store.deleteCredentialsOfUser(user);
    expect(await store.getCredential('c-good')).toBeNull();
    expect(await client.get(`${prefix}c:{c-foreign}`)).toBe('x');
  });

  it('never gives an unreadable absolute deadline a later one (the record stays corrupt)', async () => {
    const key = await storeValid(`bad-absolute-${Math.random()}`);
    const sid = key.slice(`${prefix}s:{`.length, -1);
    await client.hset(key, 'm:absoluteExpiresAt', '"x"');
    const later = { absoluteExpiresAt: Date.now() + 2 * HOUR };
    expect(await store.update(sid, { meta: later }, Date.now() + 2 * HOUR)).toBe('ok');
    expect(await client.hget(key, 'm:absoluteExpiresAt')).toBe('"x"');
    expect(await store.get(sid)).toBeNull();
  });

  it('repairs an unreadable idle deadline with a given one, as before', async () => {
    const key = await storeValid(`bad-idle-${Math.random()}`);
    const sid = key.slice(`${prefix}s:{`.length, -1);
    await client.hset(key, 'm:idleExpiresAt', 'NaN');
    const idle = Date.now() + HOUR / 2;
    expect(await store.update(sid, { meta: { idleExpiresAt: idle } }, Date.now() + HOUR)).toBe(
      'ok',
    );
    expect(await client.hget(key, 'm:idleExpiresAt')).toBe(String(idle));
  });
});
