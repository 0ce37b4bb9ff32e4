import { Hono } from 'hono';
import type Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type RememberEvent, rememberMe } from '../remember/index.js';
import type { PreviousCredential, SessionStore } from '../store/types.js';
import { credentialRecord, randomKey, sleep } from '../testing/index.js';
import { redisStore } from './index.js';
import { commandsDuring, uniquePrefix, useRedis } from './redis.fixture.js';

/**
 * A credential's predecessor (with the sealed successor) on Redis: a key of its own in the
 * credential's hash tag that Redis expires at the window's end, so nothing in Redis opens
 * the current cookie once the window is over, whoever holds an older one.
 */
let client: Redis;
let store: SessionStore;
const prefix = uniquePrefix('credential-previous');
const HOUR = 3_600_000;
const WINDOW = 300;

useRedis(
  () => prefix,
  (c) => {
    client = c;
    store = redisStore({ client, prefix });
  },
);

/** A rotated credential whose predecessor's window closes `windowMs` from now. */
async function rotated(windowMs = WINDOW, expiresAt = Date.now() + HOUR) {
  const id = randomKey('cred');
  const record = credentialRecord(randomKey('user'));
  await store.createCredential(id, record);
  const sealed = randomKey('sealed');
  const previous = {
    tokenHash: record.tokenHash,
    until: Date.now() + windowMs,
    sealedSuccessor: sealed,
  };
  expect(await store.rotateCredential(id, record.tokenHash, 'next', expiresAt, previous)).toBe(
    'ok',
  );
  return { id, previous, sealed, hash: `${prefix}c:{${id}}`, key: `${prefix}c:{${id}}:previous` };
}

/** Every value any key of the credential holds (hash fields and strings alike). */
async function storedText(id: string): Promise<string> {
  const keys = await client.keys(`${prefix}c:{${id}}*`);
  const values = await Promise.all(
    keys.map(async (key) =>
      (await client.type(key)) === 'hash'
        ? JSON.stringify(await client.hgetall(key))
        : client.get(key),
    ),
  );
  return values.join('\n');
}

describe('redisStore: a credential predecessor expires with its window', () => {
  it('keeps the sealed successor out of the hash, under a key expiring at until', async () => {
    const { id, previous, sealed, hash, key } = await rotated();
    expect(await client.hexists(hash, 'previous')).toBe(0);
    expect(JSON.stringify(await client.hgetall(hash))).not.toContain(sealed);
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW);
    // A time to live from this instance's clock: Redis's own reading of it lands on
    // `until` give or take the milliseconds the call took.
    expect(Math.abs((await client.pexpiretime(key)) - previous.until)).toBeLessThan(50);
    expect((await store.getCredential(id))?.previous).toEqual(previous);
    await sleep(WINDOW + 250);
    expect(await client.exists(key)).toBe(0);
    expect(await storedText(id)).not.toContain(sealed);
    const late = await store.getCredential(id);
    expect(late?.tokenHash).toBe('next');
    expect(late?.previous ?? null).toBeNull();
  });

  it('never lets the predecessor outlive its credential', async () => {
    const expiresAt = Date.now() + 200;
    const { key } = await rotated(10_000, expiresAt);
    expect(Math.abs((await client.pexpiretime(key)) - expiresAt)).toBeLessThan(50);
  });

  it('removes the predecessor key with a rotation without one, and with every deletion', async () => {
    const first = await rotated(10_000);
    await store.rotateCredential(first.id, 'next', 'after', Date.now() + HOUR);
    expect(await client.exists(first.key)).toBe(0);
    const second = await rotated(10_000);
    await store.deleteCredential(second.id);
    expect(await client.exists(second.hash, second.key)).toBe(0);
    const third = await rotated(10_000);
    const { userId } = (await store.getCredential(third.id))!;
    await store.deleteCredentialsOfUser(userId);
    expect(await client.exists(third.hash, third.key)).toBe(0);
  });

  it('costs one command per read and per rotation, naming keys of its own hash tag only', async () => {
    const previous: PreviousCredential = {
      tokenHash: 'next',
      until: Date.now() + 10_000,
      sealedSuccessor: 's',
    };
    // A rotation keeps the credential's expiry, as the middleware's do (one that lengthens
    // it also moves the user's index: a second command).
    const ops = (id: string, expiresAt: number) => [
      () => store.getCredential(id),
      () => store.rotateCredential(id, 'next', 'then', expiresAt, previous),
    ];
    const expiresAt = Date.now() + HOUR;
    // A script's first use may cost a NOSCRIPT and an EVAL: warm the cache, then count.
    for (const op of ops((await rotated(10_000, expiresAt)).id, expiresAt)) await op();
    const { id } = await rotated(10_000, expiresAt);
    for (const op of ops(id, expiresAt)) {
      const commands = await commandsDuring(client, prefix, op);
      expect(commands).toHaveLength(1);
      const keys = commands[0]!.filter((arg) => arg.startsWith(prefix));
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(/\{([^}]*)\}/.exec(key)?.[1]).toBe(id);
    }
  });

  it('reads a hash written before the predecessor key: inside its window as before, then none', async () => {
    const id = randomKey('cred');
    const record = credentialRecord(randomKey('user'));
    const previous = { tokenHash: 'old', until: Date.now() + WINDOW, sealedSuccessor: 'sealed' };
    const fields = Object.entries({ ...record, previous }).flatMap(([k, v]) => [
      k,
      JSON.stringify(v),
    ]);
    await client.hset(`${prefix}c:{${id}}`, ...fields);
    expect((await store.getCredential(id))?.previous).toEqual(previous);
    await sleep(WINDOW + 50);
    expect((await store.getCredential(id))?.previous ?? null).toBeNull();
    await store.rotateCredential(id, record.tokenHash, 'next', record.expiresAt);
    expect(await client.hexists(`${prefix}c:{${id}}`, 'previous')).toBe(0);
  });

  it('takes the later window when an older version also wrote one into the hash (a rolling deploy)', async () => {
    const { id, hash } = await rotated(10_000);
    const newer = { tokenHash: 'next', until: Date.now() + 20_000, sealedSuccessor: 'sealed-2' };
    await client.hset(hash, 'tokenHash', JSON.stringify('then'), 'previous', JSON.stringify(newer));
    expect((await store.getCredential(id))?.previous).toEqual(newer);
  });

  it('keeps the window whatever the Redis clock says: a time to live, not a time', async () => {
    // This instance's clock 20 s behind Redis's: an expiry *at* `until` would be past already.
    const behind = redisStore({ client, prefix, now: () => Date.now() - 20_000 });
    const id = randomKey('cred');
    const record = credentialRecord(randomKey('user'));
    await behind.createCredential(id, record);
    const previous = {
      tokenHash: record.tokenHash,
      until: Date.now() - 20_000 + 5_000,
      sealedSuccessor: 's',
    };
    await behind.rotateCredential(id, record.tokenHash, 'next', record.expiresAt, previous);
    expect((await behind.getCredential(id))?.previous).toEqual(previous);
  });

  it('gives a parallel use the current cookie inside graceMs, and reads the old one as theft after', async () => {
    const events: RememberEvent[] = [];
    const remember = rememberMe({
      store,
      graceMs: WINDOW,
      findUser: (id) => ({ name: id }),
      onEvent: (e) => void events.push(e),
    });
    const app = new Hono();
    app.post('/issue', async (c) => {
      await remember.issue(c, randomKey('user'));
      return c.text('ok');
    });
    app.post('/reauth', async (c) => c.json(await remember.reauthenticate(c)));
    const call = async (path: string, cookie?: string) => {
      const res = await app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: cookie ? { Cookie: cookie } : {},
      });
      return {
        ok: (await res.json().catch(() => null)) !== null,
        cookie: res.headers.getSetCookie()[0]?.split(';')[0],
      };
    };
    const v0 = (await call('/issue')).cookie!;
    const v1 = (await call('/reauth', v0)).cookie!;
    expect(await call('/reauth', v0)).toEqual({ ok: true, cookie: v1 });
    await sleep(WINDOW + 250);
    expect((await call('/reauth', v0)).ok).toBe(false);
    expect(events.at(-1)?.type).toBe('theft-suspected');
  });
});
