import type Redis from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord, SessionStore } from '../store/types.js';
import { redisStore } from './index.js';
import { uniquePrefix, useRedis } from './redis.fixture.js';

const HOUR = 3_600_000;

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    tokenHash: 'hash-1',
    previous: null,
    userId: 'alice',
    user: { name: 'Alice' },
    createdAt: now,
    authenticatedAt: now,
    lastActiveAt: now,
    idleExpiresAt: now + HOUR / 2,
    absoluteExpiresAt: now + 8 * HOUR,
    rotatedAt: now,
    userAgent: 'test',
    ended: null,
    data: { cart: ['apple'], theme: 'dark' },
    ...overrides,
  };
}

let client: Redis;
let prefix: string;
let n = 0;
const sid = () => `sid-${++n}`;
const expiry = () => Date.now() + HOUR;

useRedis(
  () => prefix,
  (c) => {
    client = c;
    prefix = uniquePrefix('sessions');
  },
);

describe.each([false, true])('redisStore sessions (cluster mode %s)', (cluster) => {
  let store: SessionStore;
  beforeAll(() => {
    store = redisStore({ client, prefix: `${prefix}${cluster}:`, cluster });
  });

  it('returns what was created, and null for an unknown sid', async () => {
    const id = sid();
    const created = record({ data: { cart: ['apple'], nested: { a: [1, null, true] } } });
    expect(await store.create(id, created, expiry())).toBe(true);
    expect(await store.get(id)).toEqual(created);
    expect(await store.get('never-created')).toBeNull();
  });

  it('refuses to create over an existing sid and keeps the first record', async () => {
    const id = sid();
    await store.create(id, record({ tokenHash: 'first' }), expiry());
    expect(await store.create(id, record({ tokenHash: 'second' }), expiry())).toBe(false);
    expect((await store.get(id))?.tokenHash).toBe('first');
  });

  it('keeps concurrent writes to different keys', async () => {
    const id = sid();
    await store.create(id, record({ data: {} }), expiry());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update(id, { set: { [`k${i}`]: i } }, expiry())),
    );
    const data = (await store.get(id))?.data ?? {};
    expect(Object.keys(data)).toHaveLength(20);
    expect(data.k7).toBe(7);
  });

  it('applies set, unset and meta in one update and never changes fixed meta', async () => {
    const id = sid();
    await store.create(id, record(), expiry());
    const later = Date.now() + 60_000;
    const patch = { set: { theme: 'light' }, unset: ['cart'], meta: { lastActiveAt: later } };
    const untyped = { ...patch, meta: { ...patch.meta, tokenHash: 'forged' } };
    expect(await store.update(id, untyped, expiry())).toBe('ok');
    const got = await store.get(id);
    expect(got?.data).toEqual({ theme: 'light' });
    expect(got?.lastActiveAt).toBe(later);
    expect(got?.tokenHash).toBe('hash-1');
  });

  it('never re-creates a missing or ended session on update', async () => {
    expect(await store.update('gone', { set: { a: 1 } }, expiry())).toBe('missing');
    expect(await store.get('gone')).toBeNull();
    const id = sid();
    await store.create(id, record(), expiry());
    await store.end(id, { reason: 'logged-out', at: Date.now() }, expiry());
    expect(await store.update(id, { set: { a: 1 } }, expiry())).toBe('missing');
    expect((await store.get(id))?.data).toEqual({});
  });

  it('lets exactly one of many parallel rotations win', async () => {
    const id = sid();
    await store.create(id, record(), expiry());
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.rotate(
          id,
          {
            expectedTokenHash: 'hash-1',
            tokenHash: `next-${i}`,
            previous: { tokenHash: 'hash-1', until: Date.now() + 10_000, sealedSuccessor: `s${i}` },
            rotatedAt: Date.now(),
          },
          expiry(),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'conflict')).toHaveLength(9);
    const winner = results.indexOf('ok');
    const got = await store.get(id);
    expect(got?.tokenHash).toBe(`next-${winner}`);
    expect(await store.getSealedSuccessor?.(id)).toBe(`s${winner}`);
  });

  it('turns an ended session into a data-less tombstone that cannot end twice', async () => {
    const id = sid();
    await store.create(id, record(), expiry());
    const ended = { reason: 'revoked' as const, detail: 'admin', at: 7 };
    expect(await store.end(id, ended, expiry())).toBe('ok');
    expect(await store.end(id, { reason: 'logged-out', at: 8 }, expiry())).toBe('missing');
    const got = await store.get(id);
    expect(got?.ended).toEqual(ended);
    expect(got?.data).toEqual({});
    expect(await store.end('unknown', ended, expiry())).toBe('missing');
  });

  it('sets the key to expire at expiresAt, moved by every write', async () => {
    const id = sid();
    const key = `${prefix}${cluster}:s:{${id}}`;
    const at = Date.now() + 60_000;
    await store.create(id, record(), at);
    expect(await client.pexpiretime(key)).toBe(at);
    await store.update(id, { set: { a: 1 } }, at + 5);
    expect(await client.pexpiretime(key)).toBe(at + 5);
    await store.end(id, { reason: 'logged-out', at: 1 }, at + 9);
    expect(await client.pexpiretime(key)).toBe(at + 9);
    await store.update(id, {}, Date.now() - 1);
    expect(await client.pexpiretime(key)).toBe(at + 9);
  });

  it('forgets a record whose expiresAt has passed', async () => {
    const id = sid();
    await store.create(id, record(), Date.now() - 1);
    expect(await store.get(id)).toBeNull();
  });
});
