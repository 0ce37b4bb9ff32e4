import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { sessionRecord } from '../testing/index.js';
import { type RedisClient, redisStore } from './index.js';
import { commandsDuring, uniquePrefix, useRedis } from './redis.fixture.js';

const HOUR = 3_600_000;
let client: Redis;
const prefix = uniquePrefix('layout');
const later = () => Date.now() + HOUR;
const ended = () => ({ reason: 'revoked' as const, at: Date.now() });

/** Hash tags of the keys an EVALSHA/EVAL/HGETALL names (the keys, not the arguments). */
function tagsOf(command: string[]): string[] {
  const [name, ...rest] = command;
  const keys = /^eval/i.test(name ?? '') ? rest.slice(2, 2 + Number(rest[1])) : rest.slice(0, 1);
  return keys.map((key) => /\{([^}]*)\}/.exec(key)?.[1] ?? key);
}

useRedis(
  () => prefix,
  (c) => {
    client = c;
  },
);

describe('redisStore key layout and round trips', () => {
  it('takes an ioredis Redis or Cluster client as it is', () => {
    // The assignment is the test: it stops compiling if ioredis drifts from RedisClient.
    const accept = (given: Redis | Cluster): RedisClient => given;
    expect(accept(client)).toBe(client);
  });

  it('stores a session as one hash of JSON fields under its hash-tagged sid', async () => {
    const store = redisStore({ client, prefix });
    await store.create('sid-a', sessionRecord({ userId: 'u:{1}', data: { cart: [1] } }), later());
    const key = `${prefix}s:{sid-a}`;
    expect(await client.type(key)).toBe('hash');
    expect(await client.hget(key, 'd:cart')).toBe('[1]');
    expect(await client.hget(key, 'm:userId')).toBe('"u:{1}"');
    // The user id is encoded, so its braces cannot move the index's hash tag.
    expect(await client.zrange(`${prefix}u:{u%3A%7B1%7D}:s`, 0, -1)).toEqual(['sid-a']);
  });

  it("keeps every key under an ioredis client's own keyPrefix, reads included", async () => {
    // Reads go through `call`, to which ioredis applies the prefix as to its typed commands.
    const prefixed = client.duplicate({ keyPrefix: `${prefix}kp:` });
    prefixed.on('error', () => {});
    await prefixed.connect();
    try {
      const store = redisStore({ client: prefixed, prefix: 'app:' });
      await store.create('k', sessionRecord({ userId: 'kim' }), later());
      expect(await client.exists(`${prefix}kp:app:s:{k}`)).toBe(1);
      expect((await store.get('k'))?.userId).toBe('kim');
      expect((await store.listByUser('kim')).map((s) => s.sid)).toEqual(['k']);
    } finally {
      prefixed.disconnect();
    }
  });

  it('costs one command per read, update, rotation and end', async () => {
    const store = redisStore({ client, prefix });
    const swap = {
      expectedTokenHash: 't1',
      tokenHash: 't2',
      previous: { tokenHash: 't1', until: Date.now(), sealedSuccessor: 's' },
      rotatedAt: Date.now(),
    };
    const ops = (sid: string) => [
      () => store.get(sid),
      () => store.update(sid, { set: { a: 1 }, unset: ['b'] }, later()),
      () => store.rotate(sid, swap, later()),
      () => store.end(sid, ended(), later()),
    ];
    // A script's first use on a server that has not cached it costs a NOSCRIPT and an EVAL
    // (a fresh CI Redis, whichever file runs first): warm the cache, then count.
    await store.create('sid-warm', sessionRecord({ tokenHash: 't1' }), later());
    for (const op of ops('sid-warm')) await op();
    await store.create('sid-b', sessionRecord({ tokenHash: 't1' }), later());
    for (const op of ops('sid-b')) {
      expect(await commandsDuring(client, prefix, op)).toHaveLength(1);
    }
  });

  it('creates with one script in single-node mode', async () => {
    const store = redisStore({ client, prefix });
    const record = sessionRecord({ userId: 'dana' });
    const commands = await commandsDuring(client, prefix, () =>
      store.create('sid-c', record, later()),
    );
    expect(commands).toHaveLength(1);
  });

  it('never names keys of two hash tags in one command in cluster mode', async () => {
    const store = redisStore({ client, prefix, cluster: true });
    const commands = await commandsDuring(client, prefix, async () => {
      await store.create('sid-d', sessionRecord({ userId: 'erin', tokenHash: 't1' }), later());
      await store.update('sid-d', { meta: { userId: 'fred' } }, later());
      const sealed = { tokenHash: 't1', until: later(), sealedSuccessor: 's', confirmed: false };
      await store.rotate(
        'sid-d',
        {
          ...sealed,
          expectedTokenHash: 't1',
          tokenHash: 't2',
          previous: sealed,
          rotatedAt: Date.now(),
        },
        later(),
      );
      await store.confirmRotation?.('sid-d', {
        tokenHash: 't2',
        previous: { ...sealed, confirmed: true },
        at: Date.now(),
      });
      await store.getSealedSuccessor?.('sid-d');
      await store.end('sid-d', ended(), later());
      await store.listByUser('erin');
      await store.createCredential('cred-d', { ...credential('erin') });
      const previous = { tokenHash: 'x', until: later(), sealedSuccessor: 's' };
      await store.rotateCredential('cred-d', 'x', 'y', later(), previous);
      await store.getCredential('cred-d');
      await store.deleteCredentialsOfUser('erin');
    });
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) expect(new Set(tagsOf(command)).size).toBe(1);
  });

  it("keeps a rotation's sealed successor out of the hash, in a key that lives until its window closes", async () => {
    const store = redisStore({ client, prefix });
    const hash = `${prefix}s:{sid-s}`;
    const key = `${prefix}s:{sid-s}:sealed`;
    const record = sessionRecord({ tokenHash: 't1' });
    await store.create('sid-s', record, record.absoluteExpiresAt);
    const now = Date.now();
    const previous = { tokenHash: 't1', until: now + 10_000, sealedSuccessor: 'sealed-1' };
    const swap = { expectedTokenHash: 't1', tokenHash: 't2', rotatedAt: now };
    // Unconfirmed: the browser may never have seen the successor, so it lives with the record.
    await store.rotate('sid-s', { ...swap, previous: { ...previous, confirmed: false } }, later());
    // In the hash: an empty placeholder, which a version that kept it there still reads.
    expect(JSON.parse((await client.hget(hash, 'm:previous'))!)).toEqual({
      tokenHash: 't1',
      until: now + 10_000,
      sealedSuccessor: '',
      confirmed: false,
    });
    expect((await store.get('sid-s'))?.previous).toEqual({
      tokenHash: 't1',
      until: now + 10_000,
      confirmed: false,
    });
    expect(await client.get(key)).toBe('sealed-1');
    expect(Math.abs((await client.pexpiretime(key)) - (await client.pexpiretime(hash)))).toBe(0);
    // Confirmed: the rest of the window, counted from the app's instant `at`.
    const confirmed = { ...previous, until: now + 10_000, confirmed: true };
    await store.confirmRotation?.('sid-s', {
      tokenHash: 't2',
      previous: confirmed,
      at: now + 4_000,
    });
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(5_000);
    expect(ttl).toBeLessThanOrEqual(6_000);
    expect(await store.getSealedSuccessor?.('sid-s')).toBe('sealed-1');
    // A rotation written confirmed gets its window at once; an ending deletes the key.
    const next = { tokenHash: 't2', until: now + 10_000, sealedSuccessor: 'sealed-2' };
    await store.rotate(
      'sid-s',
      { ...swap, expectedTokenHash: 't2', tokenHash: 't3', previous: next },
      later(),
    );
    expect(await client.get(key)).toBe('sealed-2');
    expect(await client.pttl(key)).toBeGreaterThan(9_000);
    await store.end('sid-s', ended(), later());
    expect(await client.exists(key)).toBe(0);
    expect(await store.getSealedSuccessor?.('sid-s')).toBeNull();
  });

  it('reads a sealed successor kept in the hash by an older version, and not past its window', async () => {
    const now = Date.now();
    const inline = { tokenHash: 'old', until: now + 60_000, sealedSuccessor: 'inline' };
    const store = (at: number) => redisStore({ client, prefix, now: () => at });
    await store(now).create('sid-i', sessionRecord({ previous: inline }), later());
    expect((await store(now).get('sid-i'))?.previous).toEqual(inline);
    const { sealedSuccessor: _, ...past } = inline;
    expect((await store(now + 60_000).get('sid-i'))?.previous).toEqual(past);
    const unconfirmed = { ...inline, confirmed: false };
    await store(now).create('sid-j', sessionRecord({ previous: unconfirmed }), later());
    expect((await store(now + 60_000).get('sid-j'))?.previous).toEqual(unconfirmed);
  });

  it('lets a user index expire with its longest-lived record, in either mode', async () => {
    for (const cluster of [false, true]) {
      const store = redisStore({ client, prefix, cluster });
      const user = `ida-${cluster}`;
      const index = `${prefix}u:{${user}}:s`;
      const soon = Date.now() + 60_000;
      await store.create(`i1-${cluster}`, sessionRecord({ userId: user }), soon + 60_000);
      expect(await client.pexpiretime(index)).toBe(soon + 60_000);
      // A record expiring sooner never shortens it; a later one moves it on.
      await store.create(`i2-${cluster}`, sessionRecord({ userId: user }), soon);
      expect(await client.pexpiretime(index)).toBe(soon + 60_000);
      await store.create(`i3-${cluster}`, sessionRecord({ userId: user }), soon + 120_000);
      expect(await client.pexpiretime(index)).toBe(soon + 120_000);
      await store.createCredential(`ci-${cluster}`, { ...credential(user), expiresAt: soon });
      expect(await client.pexpiretime(`${prefix}u:{${user}}:c`)).toBe(soon);
    }
  });

  it("takes a deleted credential out of its user's index, so an index of none is gone, in either mode", async () => {
    // Left there (a sign-out deletes the device's credential), the index kept the user's id
    // in a key name for the credential's 30 days.
    for (const cluster of [false, true]) {
      const store = redisStore({ client, prefix, cluster });
      const user = `del-{${cluster}}`;
      const index = `${prefix}u:{del-%7B${cluster}%7D}:c`;
      await store.createCredential(`d1-${cluster}`, credential(user));
      await store.createCredential(`d2-${cluster}`, credential(user));
      await store.deleteCredential(`d1-${cluster}`);
      expect(await client.zrange(index, 0, -1)).toEqual([`d2-${cluster}`]);
      await store.deleteCredential(`d2-${cluster}`);
      expect(await client.exists(index)).toBe(0);
      // An unknown id, or a key of another type there, deletes what is there and no more.
      await store.deleteCredential(`d3-${cluster}`);
      await client.set(`${prefix}c:{d4-${cluster}}`, 'garbage');
      await store.deleteCredential(`d4-${cluster}`);
      expect(await client.exists(`${prefix}c:{d4-${cluster}}`)).toBe(0);
    }
  });

  it("deletes a credential even when its index's command fails, and resolves (a retry would find nothing: a theft report lost)", async () => {
    const index = `${prefix}u:{dora}:c`;
    const indexDown: RedisClient = {
      evalsha: (sha, numkeys, ...rest) =>
        rest.slice(0, numkeys).includes(index)
          ? Promise.reject(new Error('index shard down'))
          : client.evalsha(sha, numkeys, ...rest),
      eval: client.eval.bind(client),
      hgetall: client.hgetall.bind(client),
      call: client.call.bind(client),
    };
    await redisStore({ client, prefix }).createCredential('dora-1', credential('dora'));
    const store = redisStore({ client: indexDown, prefix, cluster: true });
    await expect(store.deleteCredential('dora-1')).resolves.toBeUndefined();
    expect(await client.exists(`${prefix}c:{dora-1}`)).toBe(0);
    expect(await client.zrange(index, 0, -1)).toEqual(['dora-1']); // a hint, swept later
  });

  it('stores only the fields of a credential, so one given an extra property reads back', async () => {
    const store = redisStore({ client, prefix });
    const given = { ...credential('eve'), device: 'phone' } as ReturnType<typeof credential>;
    await store.createCredential('eve-1', given);
    expect(await store.getCredential('eve-1')).toEqual({
      tokenHash: 'x',
      userId: 'eve',
      createdAt: given.createdAt,
      expiresAt: given.expiresAt,
    });
  });

  it('indexes a user id holding a lone surrogate (it used to throw: a 503 for that user), apart from look-alikes', async () => {
    const store = redisStore({ client, prefix });
    const ids = ['lone-\uD800', 'lone-%ud800', 'lone-\uFFFD'];
    for (const userId of ids) {
      await store.create(`sid-${ids.indexOf(userId)}-u`, sessionRecord({ userId }), later());
    }
    for (const userId of ids) {
      expect((await store.listByUser(userId)).map((l) => l.sid)).toEqual([
        `sid-${ids.indexOf(userId)}-u`,
      ]);
    }
  });

  it('drops a session more than a minute past its absolute deadline from the user index, nobody having ended it', async () => {
    const store = redisStore({ client, prefix });
    const now = Date.now();
    const dead = sessionRecord({ userId: 'ivy', absoluteExpiresAt: now - 61_000 });
    const edge = sessionRecord({ userId: 'ivy', absoluteExpiresAt: now - 10_000 });
    await store.create('ivy-dead', dead, later());
    await store.create('ivy-edge', edge, later());
    expect((await store.listByUser('ivy')).map((l) => l.sid)).toEqual(['ivy-edge']);
    expect(await client.zrange(`${prefix}u:{ivy}:s`, 0, -1)).toEqual(['ivy-edge']);
    expect((await store.get('ivy-dead'))?.ended).toBeNull();
  });

  it('keeps listing a session long past its idle deadline: a request in flight may still revive it', async () => {
    const store = redisStore({ client, prefix });
    const now = Date.now();
    const idle = sessionRecord({ userId: 'ivo', idleExpiresAt: now - 10 * 60_000 });
    await store.create('ivo-idle', idle, later());
    expect((await store.listByUser('ivo')).map((l) => l.sid)).toEqual(['ivo-idle']);
    const revived = { lastActiveAt: now, idleExpiresAt: now + 60_000 };
    expect(await store.update('ivo-idle', { meta: revived }, later())).toBe('ok');
    expect((await store.listByUser('ivo')).map((l) => l.sid)).toEqual(['ivo-idle']);
  });

  it('sweeps a user index that grew past pruneAbove on the next create', async () => {
    const store = redisStore({ client, prefix, pruneAbove: 5 });
    const index = `${prefix}u:{gina}:s`;
    for (let i = 0; i < 5; i++) {
      await store.create(`g${i}`, sessionRecord({ userId: 'gina' }), later());
      await store.end(`g${i}`, ended(), later());
    }
    expect(await client.zcard(index)).toBe(5);
    await store.create('g-live', sessionRecord({ userId: 'gina' }), later());
    await store.settled();
    expect(await client.zrange(index, 0, -1)).toEqual(['g-live']);
  });

  // A sweep of a huge index takes seconds, while sign-ins grow it by pruneAbove more:
  // each started another sweep of the same index (38 sweeps for 1,000 sign-ins at 20k).
  it('runs one sweep of an index at a time, however many creates come meanwhile', async () => {
    const index = `${prefix}u:{lea}:s`;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sweepsStarted = 0;
    const slowReads = {
      evalsha: (sha: string, numkeys: number, ...rest: Array<string | number>) => {
        // The index read that starts a sweep names the index alone.
        if (numkeys === 1 && rest[0] === index) sweepsStarted++;
        return client.evalsha(sha, numkeys, ...rest);
      },
      eval: client.eval.bind(client),
      hgetall: client.hgetall.bind(client),
      call: async (command: string, ...args: Array<string | number>) => {
        await held; // the sweep's record reads take their time
        return client.call(command, ...args);
      },
    };
    // A limit the held reads cannot reach on a loaded machine (a failed sweep may start anew).
    const store = redisStore({
      client: slowReads,
      prefix,
      pruneAbove: 5,
      commandTimeoutMs: 60_000,
    });
    for (let i = 0; i < 20; i++) {
      await store.create(`l${i}`, sessionRecord({ userId: 'lea' }), later());
    }
    release();
    await store.settled();
    // Counted once all is done: a sweep's first command may go out after the creates.
    expect(sweepsStarted).toBe(1);
    expect(await client.zcard(index)).toBe(20);
  });

  it('costs a user with many live sessions at most about two record reads a create', async () => {
    const store = redisStore({ client, prefix, pruneAbove: 5 });
    const commands = await commandsDuring(client, prefix, async () => {
      for (let i = 0; i < 100; i++) {
        await store.create(`m${i}`, sessionRecord({ userId: 'mia' }), later());
        await store.settled();
      }
    });
    // Swept every 5 creates, 100 creates read about 1,000 records (20k sessions: 400 a
    // sign-in); swept when the index doubles, 6 + 13 + 27 + 55.
    const reads = commands.filter(([name]) => /^hgetall$/i.test(name ?? ''));
    expect(reads.length).toBeLessThanOrEqual(2 * 100);
  });

  it('does not sweep a user with many live sessions on every create', async () => {
    const store = redisStore({ client, prefix, pruneAbove: 5 });
    const commands = await commandsDuring(client, prefix, async () => {
      for (let i = 0; i < 13; i++) {
        await store.create(`k${i}`, sessionRecord({ userId: 'kai' }), later());
        await store.settled();
      }
    });
    // A sweep reads every entry's record. Swept at 6 entries (all live), then not again
    // until the index holds 6 more than those (more than pruneAbove): 6 + 13 reads, not one
    // sweep per create past 5 (6 + 7 + … + 13 = 76).
    const reads = commands.filter(([name]) => /^hgetall$/i.test(name ?? ''));
    expect(reads).toHaveLength(19);
    expect((await store.listByUser('kai')).map((l) => l.sid)).toHaveLength(13);
  });

  it('tries a failed sweep again once the index grows by pruneAbove more, not once it doubles', async () => {
    const index = `${prefix}u:{rita}:s`;
    let failing = true;
    let sweepsStarted = 0;
    const flaky: RedisClient = {
      evalsha: (sha, numkeys, ...rest) => {
        // The index read that starts a sweep names the index alone: a blip fails it.
        if (numkeys === 1 && rest.length === 1 && rest[0] === index) {
          sweepsStarted++;
          if (failing) return Promise.reject(new Error('ECONNRESET'));
        }
        return client.evalsha(sha, numkeys, ...rest);
      },
      eval: client.eval.bind(client),
      hgetall: client.hgetall.bind(client),
      call: client.call.bind(client),
    };
    const store = redisStore({ client: flaky, prefix, pruneAbove: 5 });
    let n = 0;
    const signInAndOut = async () => {
      const sid = `r${n++}`;
      await store.create(sid, sessionRecord({ userId: 'rita' }), later());
      await store.settled();
      await store.end(sid, ended(), later());
    };
    for (let i = 0; i < 6; i++) await signInAndOut(); // the sixth entry's sweep fails
    expect([sweepsStarted, await client.zcard(index)]).toEqual([1, 6]);
    failing = false;
    for (let i = 0; i < 5; i++) await signInAndOut();
    expect(sweepsStarted).toBe(1); // 11 entries: not yet 5 more than the 6 it failed at
    await signInAndOut();
    expect(sweepsStarted).toBe(2);
    // The sweep ran before the last sign-out: it kept only the then live entry.
    expect(await client.zcard(index)).toBe(1);
  });

  it('lists a user sessions oldest first', async () => {
    const store = redisStore({ client, prefix });
    const t = Date.now();
    await store.create('h2', sessionRecord({ userId: 'hal', createdAt: t + 2 }), later());
    await store.create('h1', sessionRecord({ userId: 'hal', createdAt: t + 1 }), later());
    expect((await store.listByUser('hal')).map((l) => l.sid)).toEqual(['h1', 'h2']);
  });
});

function credential(userId: string) {
  return { tokenHash: 'x', userId, createdAt: Date.now(), expiresAt: later() };
}
